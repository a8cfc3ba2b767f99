// synapse inspect: what a checkpoint holds — layers, parameter counts and sparsity, settings.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "command.hpp"
#include "data_settings_json.hpp"
#include "json_report.hpp"
#include "run_options.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/pruning/prune_report.hpp"
#include "synapse/ops/sparse_plan.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/data_settings.hpp"

namespace syn::apps {
namespace {

struct InspectArgs {
  std::string model_file;
  bool json = false;
};

struct TensorRow {
  std::string name, layer, shape;
  int64_t numel = 0, live = 0;
  // Masked weight matrices: the plan a training batch and a batch of one run (Note [Sparse plans]).
  std::string plan_batch, plan_one;
  std::vector<pruning::GateReport> gates;  // recurrent weights, per gate
};

// The layer of a dotted tensor name: everything before the last '.' ("(model)" for top-level ones).
std::string layer_of(const std::string& name) {
  const size_t dot = name.rfind('.');
  return dot == std::string::npos ? "(model)" : name.substr(0, dot);
}

std::vector<TensorRow> tensor_rows(const train::Checkpoint& c) {
  std::vector<TensorRow> rows;
  for (const auto& [name, t] : c.tensors) {
    std::ostringstream shape;
    shape << t.shape();
    TensorRow row;
    row.name = name;
    row.layer = layer_of(name);
    row.shape = shape.str();
    row.numel = t.numel();
    row.live = t.mask() ? t.mask()->nnz() : t.numel();
    if (t.mask() && t.rank() == 2) {
      row.plan_batch = sparse_plan_name(sparse_plan_for(t, kReportBatch));
      row.plan_one = sparse_plan_name(sparse_plan_for(t, 1));
    }
    row.gates = pruning::tensor_report(name, t, pruning::recurrent_gate_names(c.config.kind)).gates;
    rows.push_back(row);
  }
  return rows;
}

double sparsity(int64_t live, int64_t numel) { return numel ? 1.0 - static_cast<double>(live) / numel : 0.0; }


// The model settings that apply to its kind and regulariser (ModelConfig::applies), numbers as
// JSON numbers and true/false as booleans.
nlohmann::json model_json(const nn::ModelConfig& c) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : c.to_map()) {
    if (!c.applies(key)) continue;
    if (value == "true" || value == "false")
      out[key] = value == "true";
    else if (const auto number = nlohmann::json::parse(value, nullptr, false); number.is_number())
      out[key] = number;
    else
      out[key] = value;
  }
  return out;
}

void print_text(const InspectArgs& a, const train::Checkpoint& c, const std::vector<TensorRow>& rows) {
  int64_t total = 0, live = 0;
  std::vector<std::string> layer_order;
  std::map<std::string, std::pair<int64_t, int64_t>> layers;  // numel, live
  for (const TensorRow& r : rows) {
    total += r.numel;
    live += r.live;
    if (!layers.count(r.layer)) layer_order.push_back(r.layer);
    layers[r.layer].first += r.numel;
    layers[r.layer].second += r.live;
  }
  std::printf("checkpoint  %s (%lld bytes, format %u)\n", a.model_file.c_str(),
              static_cast<long long>(std::filesystem::file_size(a.model_file)), train::kCheckpointVersion);
  std::printf("model       %s, lookback %lld, horizon %lld, %lld input columns, reg %s\n",
              c.config.kind.c_str(), static_cast<long long>(c.config.lookback),
              static_cast<long long>(c.config.horizon), static_cast<long long>(c.config.input_size),
              c.config.reg.c_str());
  std::printf("parameters  %lld total, %lld live, sparsity %.2f%%\n\nlayers\n", static_cast<long long>(total),
              static_cast<long long>(live), 100 * sparsity(live, total));
  for (const std::string& l : layer_order)
    std::printf("  %-40s %12lld  live %12lld  sparsity %6.2f%%\n", l.c_str(),
                static_cast<long long>(layers[l].first), static_cast<long long>(layers[l].second),
                100 * sparsity(layers[l].second, layers[l].first));
  std::printf("\ntensors\n");
  for (const TensorRow& r : rows) {
    std::printf("  %-40s %-16s %10lld  live %10lld  sparsity %6.2f%%", r.name.c_str(), r.shape.c_str(),
                static_cast<long long>(r.numel), static_cast<long long>(r.live),
                100 * sparsity(r.live, r.numel));
    if (!r.plan_batch.empty())
      std::printf("  plan %s (batch %lld), %s (batch 1)", r.plan_batch.c_str(),
                  static_cast<long long>(kReportBatch), r.plan_one.c_str());
    std::printf("\n");
    for (const pruning::GateReport& g : r.gates)
      std::printf("    gate %-51s %10lld  live %10lld  sparsity %6.2f%%\n", g.name.c_str(),
                  static_cast<long long>(g.size), static_cast<long long>(g.live), 100 * g.sparsity);
  }
  std::printf("\nmodel settings\n");
  const nlohmann::json model = model_json(c.config);
  for (const auto& [key, value] : model.items())
    std::printf("  %-14s %s\n", key.c_str(), value.is_string() ? value.get<std::string>().c_str() : value.dump().c_str());
  std::printf("\ndata settings\n");
  const nlohmann::json data = data_settings_json(c.data);
  for (const auto& [key, value] : data.items())
    std::printf("  %-14s %s\n", key.c_str(), value.dump().c_str());
}

int run_inspect(const InspectArgs& a) {
  const train::Checkpoint c = train::load_checkpoint(a.model_file);
  const std::vector<TensorRow> rows = tensor_rows(c);
  if (!a.json) {
    print_text(a, c, rows);
    return kExitOk;
  }
  nlohmann::json tensors = nlohmann::json::array();
  int64_t total = 0, live = 0;
  for (const TensorRow& r : rows) {
    total += r.numel;
    live += r.live;
    nlohmann::json row = {{"name", r.name},          {"layer", r.layer}, {"shape", r.shape},
                          {"numel", r.numel},        {"live", r.live},   {"sparsity", sparsity(r.live, r.numel)}};
    if (!r.plan_batch.empty()) row["plan"] = {{"batch", kReportBatch}, {"plan", r.plan_batch}, {"batch_1", r.plan_one}};
    for (const pruning::GateReport& g : r.gates)
      row["gates"].push_back({{"gate", g.name}, {"numel", g.size}, {"live", g.live}, {"sparsity", g.sparsity}});
    tensors.push_back(row);
  }
  const nlohmann::json out = {
      {"command", "inspect"},
      {"model_file", a.model_file},
      {"format", train::kCheckpointVersion},
      {"model", model_json(c.config)},
      {"data", data_settings_json(c.data)},
      {"parameters", {{"total", total}, {"live", live}, {"sparsity", sparsity(live, total)}}},
      {"tensors", tensors}};
  std::cout << out.dump(2) << std::endl;
  return kExitOk;
}

}  // namespace

Command add_inspect_command(CLI::App& root) {
  auto a = std::make_shared<InspectArgs>();
  CLI::App* app =
      root.add_subcommand("inspect", "Show what a checkpoint holds: layers, parameters, sparsity per tensor and gate, kernel plans, settings");
  app->footer("Exit status: 0 success, 2 bad usage or a damaged or unreadable checkpoint.");
  add_model_file(*app, a->model_file);
  app->add_flag("--json", a->json, "Print one JSON object instead of text");
  return {app, [a] { return run_inspect(*a); }};
}

}  // namespace syn::apps
