#include "synapse/forecast/experiment_grid.hpp"

#include <algorithm>
#include <fstream>
#include <set>

#include "synapse/core/error.hpp"
#include "synapse/forecast/data_dir.hpp"

namespace syn::forecast {
namespace {

using nlohmann::json;

const std::vector<std::string> kModels = {"rnn", "lstm", "gru", "patchtst", "paper-patchtst", "linear"};
const std::vector<std::string> kProtocols = {"clean", "paper"};
const std::vector<std::string> kRegKinds = {"none", "dropout", "mc-dropout", "pruning"};
const std::vector<std::string> kDatasetKeys = {"name", "file", "target", "features", "ignore", "na", "na_markers",
                                               "missing"};

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// grid[key] as a non-empty array; ValueError naming the file and the key otherwise.
const json& list(const json& grid, const std::string& key, const std::string& where) {
  SYN_CHECK_T(ValueError, grid.contains(key), where, ": \"", key, "\" is missing (a list)");
  const json& v = grid.at(key);
  SYN_CHECK_T(ValueError, v.is_array() && !v.empty(), where, ": \"", key, "\" must be a non-empty list");
  return v;
}

std::string text(const json& v, const std::string& where) {
  SYN_CHECK_T(ValueError, v.is_string(), where, " must be text, got ", v.dump());
  return v.get<std::string>();
}

void check_setting_key(const std::string& key, const std::string& where) {
  SYN_CHECK_T(ValueError, contains(kExperimentSettingKeys, key), where, ": unknown setting \"", key,
              "\" (known: ", join(kExperimentSettingKeys), ")");
}

// The dataset entry as the run settings it contributes.
json dataset_settings(const json& d, size_t i, const std::filesystem::path& grid_dir, const std::string& where,
                      std::filesystem::path& resolved) {
  const std::string at = detail::concat(where, ": datasets[", i, "]");
  SYN_CHECK_T(ValueError, d.is_object(), at, " must be an object");
  for (const auto& [key, _] : d.items())
    SYN_CHECK_T(ValueError, contains(kDatasetKeys, key), at, ": unknown key \"", key, "\" (known: ",
                join(kDatasetKeys), ")");
  for (const char* required : {"name", "file", "target"})
    SYN_CHECK_T(ValueError, d.contains(required), at, ": \"", required, "\" is missing");
  const std::string name = text(d.at("name"), at + ".name");
  const std::string file = text(d.at("file"), at + ".file");
  try {
    resolved = resolve_dataset_file(file, grid_dir);
  } catch (const ValueError& e) {
    throw ValueError(detail::concat(at, " (", name, "): ", e.what()));
  }
  json s = {{"dataset", name},
            {"data", file},
            {"target", text(d.at("target"), at + ".target")},
            {"features", d.value("features", json("all"))},
            {"ignore", d.value("ignore", json::array())},
            {"na", d.value("na", json::array())},
            {"na_markers", d.value("na_markers", json::array())},
            {"missing", d.value("missing", json("fail"))}};
  SYN_CHECK_T(ValueError, s["features"] == "all" || s["features"].is_array(), at,
              ".features must be \"all\" or a list of columns");
  const std::string missing = text(s["missing"], at + ".missing");
  SYN_CHECK_T(ValueError, missing == "fail" || missing == "drop" || missing == "ffill", at, ".missing: '",
              missing, "' is not fail, drop or ffill");
  return s;
}

// The regulariser entry as {"regulariser": name, preset settings...}.
json regulariser_settings(const json& r, size_t i, const std::string& where) {
  const std::string at = detail::concat(where, ": regularisers[", i, "]");
  if (r.is_string()) {
    const std::string name = r.get<std::string>();
    const json& presets = regulariser_presets();
    std::vector<std::string> known;
    for (const auto& [k, _] : presets.items()) known.push_back(k);
    SYN_CHECK_T(ValueError, presets.contains(name), at, ": unknown regulariser '", name, "' (known: ", join(known),
                ", or an object {\"name\", \"reg\", settings...})");
    json s = presets.at(name);
    s["regulariser"] = name;
    return s;
  }
  SYN_CHECK_T(ValueError, r.is_object() && r.contains("name") && r.contains("reg"), at,
              " must be a regulariser name or an object with \"name\" and \"reg\"");
  json s = {{"regulariser", text(r.at("name"), at + ".name")}};
  for (const auto& [key, value] : r.items()) {
    if (key == "name") continue;
    if (key != "reg") check_setting_key(key, at);
    s[key] = value;
  }
  const std::string reg = text(s["reg"], at + ".reg");
  SYN_CHECK_T(ValueError, contains(kRegKinds, reg), at, ".reg: unknown kind '", reg, "' (known: ", join(kRegKinds),
              ")");
  return s;
}

// Every combination of the axes' values, the last axis varying fastest.
std::vector<json> combinations(const std::vector<std::pair<std::string, json>>& axes) {
  std::vector<json> out = {json::object()};
  for (const auto& [key, values] : axes) {
    std::vector<json> next;
    for (const json& partial : out)
      for (const json& v : values) {
        json c = partial;
        c[key] = v;
        next.push_back(std::move(c));
      }
    out = std::move(next);
  }
  return out;
}

}  // namespace

const std::vector<std::string> kPruningSettingKeys = {"schedule",   "initial_sparsity", "final_sparsity",
                                                      "prune_begin", "prune_end",       "prune_every",
                                                      "scope",      "score",            "granularity"};

const std::vector<std::string> kExperimentSettingKeys = [] {
  std::vector<std::string> keys = {
      // trainer
      "epochs", "batch", "lr", "optimizer", "weight_decay", "loss", "clip", "patience", "early_stopping",
      // data
      "horizon", "scaler",
      // model (nn::ModelConfig keys)
      "dropout", "mc_samples", "hidden_size", "num_layers", "nonlinearity", "patch_len", "stride", "d_model",
      "n_heads", "n_layers", "d_ff", "norm", "activation", "revin"};
  keys.insert(keys.end(), kPruningSettingKeys.begin(), kPruningSettingKeys.end());
  return keys;
}();

json study_defaults() {
  return {{"epochs", 20}, {"batch", 64},   {"lr", 1e-3},       {"horizon", 1},
          {"dropout", 0.3}, {"hidden_size", 64}, {"num_layers", 1}};
}

const json& regulariser_presets() {
  static const json presets = {
      {"none", {{"reg", "none"}}},
      {"dropout", {{"reg", "dropout"}}},
      {"mc-dropout", {{"reg", "mc-dropout"}}},
      {"pruning", {{"reg", "pruning"}, {"schedule", "paper_ramp"}, {"scope", "global"}, {"score", "magnitude"}}},
      {"pruning-zhu-gupta",
       {{"reg", "pruning"}, {"schedule", "zhu_gupta"}, {"initial_sparsity", 0.0}, {"scope", "global"},
        {"score", "magnitude"}}},
      {"gmp-per-tensor",
       {{"reg", "pruning"}, {"schedule", "zhu_gupta"}, {"initial_sparsity", 0.0}, {"scope", "per-tensor"},
        {"score", "magnitude"}}},
      {"random-pruning", {{"reg", "pruning"}, {"schedule", "paper_ramp"}, {"scope", "global"}, {"score", "random"}}},
  };
  return presets;
}

std::string RunSpec::label() const {
  std::string out = detail::concat(settings.value("dataset", ""), " ", settings.value("model", ""), " ",
                                   settings.value("regulariser", ""), " lookback ", settings.value("lookback", 0),
                                   " seed ", settings.value("seed", 0), " ", settings.value("protocol", ""));
  if (settings.contains("final_sparsity") && settings["reg"] == "pruning")
    out += detail::concat(" sparsity ", settings["final_sparsity"].dump());
  return out;
}

std::filesystem::path resolve_dataset_file(const std::string& file, const std::filesystem::path& grid_dir) {
  const std::filesystem::path given(file);
  if (std::filesystem::is_regular_file(given)) return given;
  std::string tried = detail::concat("'", given.string(), "'");  // (not a + chain: GCC 12's -Wrestrict false positive)
  if (given.is_relative()) {
    const std::filesystem::path beside = grid_dir / given;
    if (std::filesystem::is_regular_file(beside)) return beside;
    tried += ", '" + beside.string() + "'";
    try {
      const std::filesystem::path in_data = data_dir() / given;
      if (std::filesystem::is_regular_file(in_data)) return in_data;
      tried += ", '" + in_data.string() + "'";
    } catch (const ValueError& e) {
      tried += detail::concat(" (no data directory: ", e.what(), ")");
    }
  }
  throw ValueError(detail::concat("dataset file '", file, "' not found (tried ", tried, ")"));
}

ExperimentGrid ExperimentGrid::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  SYN_CHECK_T(ValueError, in.good(), "grid '", file.string(), "': cannot read the file");
  json grid;
  try {
    grid = json::parse(in);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw ValueError(detail::concat("grid '", file.string(), "': not valid JSON: ", e.what()));
  }
  return parse(grid, file);
}

ExperimentGrid ExperimentGrid::parse(const json& grid, const std::filesystem::path& file) {
  const std::string where = "grid '" + file.string() + "'";
  SYN_CHECK_T(ValueError, grid.is_object(), where, ": must be a JSON object");
  for (const auto& [key, _] : grid.items())
    SYN_CHECK_T(ValueError,
                contains({"name", "description", "datasets", "models", "regularisers", "lookbacks", "seeds",
                          "protocols", "settings", "axes"},
                         key),
                where, ": unknown key \"", key, "\"");
  ExperimentGrid g;
  g.file = file;
  g.name = grid.contains("name") ? text(grid.at("name"), where + ": \"name\"") : file.stem().string();
  const std::filesystem::path grid_dir = file.parent_path();

  std::vector<json> datasets;
  std::vector<std::filesystem::path> paths;
  const json& ds = list(grid, "datasets", where);
  for (size_t i = 0; i < ds.size(); ++i) {
    paths.emplace_back();
    datasets.push_back(dataset_settings(ds[i], i, grid_dir, where, paths.back()));
  }
  const json& models = list(grid, "models", where);
  for (size_t i = 0; i < models.size(); ++i) {
    const std::string m = text(models[i], detail::concat(where, ": models[", i, "]"));
    SYN_CHECK_T(ValueError, contains(kModels, m), where, ": models[", i, "]: unknown model '", m, "' (known: ",
                join(kModels), ")");
  }
  std::vector<json> regs;
  const json& rs = list(grid, "regularisers", where);
  for (size_t i = 0; i < rs.size(); ++i) regs.push_back(regulariser_settings(rs[i], i, where));
  const json& lookbacks = list(grid, "lookbacks", where);
  for (const json& l : lookbacks)
    SYN_CHECK_T(ValueError, l.is_number_integer() && l.get<int64_t>() > 0, where, ": lookbacks: ", l.dump(),
                " is not a positive integer");
  const json& seeds = list(grid, "seeds", where);
  for (const json& s : seeds)
    SYN_CHECK_T(ValueError, s.is_number_integer() && s.get<int64_t>() >= 0, where, ": seeds: ", s.dump(),
                " is not a non-negative integer");
  const json protocols = grid.value("protocols", json::array({"clean"}));
  for (const json& p : protocols)
    SYN_CHECK_T(ValueError, p.is_string() && contains(kProtocols, p.get<std::string>()), where, ": protocols: ",
                p.dump(), " is not clean or paper");

  json fixed = study_defaults();
  const json settings = grid.value("settings", json::object());
  SYN_CHECK_T(ValueError, settings.is_object(), where, ": \"settings\" must be an object");
  for (const auto& [key, value] : settings.items()) {
    check_setting_key(key, where + ": settings");
    fixed[key] = value;
  }
  std::vector<std::pair<std::string, json>> axes;
  const json axes_json = grid.value("axes", json::object());
  SYN_CHECK_T(ValueError, axes_json.is_object(), where, ": \"axes\" must be an object of lists");
  for (const auto& [key, values] : axes_json.items()) {
    check_setting_key(key, where + ": axes");
    SYN_CHECK_T(ValueError, values.is_array() && !values.empty(), where, ": axes.", key,
                " must be a non-empty list");
    axes.emplace_back(key, values);
    g.axis_keys.push_back(key);
  }
  std::vector<size_t> lengths = {datasets.size(), models.size(), regs.size(), lookbacks.size(), seeds.size(),
                                 protocols.size()};
  for (const auto& [_, values] : axes) lengths.push_back(values.size());
  int64_t runs = 1;  // saturates just above the limit, so the product cannot overflow
  for (size_t n : lengths) runs = std::min(runs * static_cast<int64_t>(n), kMaxGridRuns + 1);
  SYN_CHECK_T(ValueError, runs <= kMaxGridRuns, where, ": more than ", kMaxGridRuns,
              " runs (the product of the lists' and axes' lengths); split the grid");
  const std::vector<json> axis_values = combinations(axes);

  std::set<std::string> seen;
  for (size_t d = 0; d < datasets.size(); ++d)
    for (const json& model : models)
      for (const json& reg : regs)
        for (const json& lookback : lookbacks)
          for (const json& seed : seeds)
            for (const json& protocol : protocols)
              for (const json& axis : axis_values) {
                json s = datasets[d];
                s.update(json{{"model", model}, {"lookback", lookback}, {"seed", seed}, {"protocol", protocol}});
                json rest = study_defaults();
                rest.update(reg);
                rest.update(fixed);
                rest.update(axis);
                rest["reg"] = reg["reg"];
                rest["regulariser"] = reg["regulariser"];
                s.update(rest);
                if (s["reg"] != "pruning")
                  for (const std::string& key : kPruningSettingKeys) s.erase(key);
                RunSpec run;
                run.settings = std::move(s);
                run.key = run.settings.dump();
                if (!seen.insert(run.key).second) continue;
                run.index = static_cast<int64_t>(g.runs.size());
                run.data_path = paths[d];
                g.runs.push_back(std::move(run));
              }
  return g;
}

}  // namespace syn::forecast
