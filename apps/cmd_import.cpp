// synapse import: a safetensors state dict (from PyTorch or `synapse export`) as a checkpoint.
#include <cstdio>
#include <memory>

#include "command.hpp"
#include "data_settings_json.hpp"
#include "synapse/core/error.hpp"
#include "synapse/interop/torch_state.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/model_factory.hpp"

namespace syn::apps {
namespace {

struct ImportArgs {
  std::string file, out, kind, target, scaler;
  int64_t lookback = 0, horizon = 0;
  std::vector<std::string> model_opts, features;
  std::vector<double> scaler_offset, scaler_scale;
  const CLI::App* app = nullptr;
  bool given(const char* option) const { return app->count(option) > 0; }
};

nlohmann::json metadata_json(const interop::SafetensorsFile& f, const char* key, const std::string& source) {
  const auto it = f.metadata.find(key);
  if (it == f.metadata.end()) return nullptr;
  try {
    return nlohmann::json::parse(it->second);
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(detail::concat(source, ": metadata '", key, "' is not valid JSON: ", e.what()));
  }
}

// The model settings: the file's (written by synapse export) or the defaults, then the options.
nn::ModelConfig model_config(const ImportArgs& a, const nlohmann::json& saved, int64_t input_size) {
  std::map<std::string, std::string> values = nn::ModelConfig{}.to_map();
  if (!saved.is_null()) values = saved.get<std::map<std::string, std::string>>();
  if (a.given("--model")) values["kind"] = a.kind;
  if (a.given("--lookback")) values["lookback"] = std::to_string(a.lookback);
  if (a.given("--horizon")) values["horizon"] = std::to_string(a.horizon);
  values["input_size"] = std::to_string(input_size);
  for (const std::string& kv : a.model_opts) {
    const size_t eq = kv.find('=');
    SYN_CHECK_T(ValueError, eq != std::string::npos && eq > 0, "--model-opt '", kv, "' is not KEY=VALUE");
    values[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return nn::ModelConfig::from_map(values);
}

// The data settings: the file's, or (for a file from PyTorch) --target, --features and an identity
// scaler unless --scaler-offset / --scaler-scale give the fitted one.
train::DataSettings data_settings(const ImportArgs& a, const nlohmann::json& saved) {
  train::DataSettings d;
  if (!saved.is_null()) {
    d = data_settings_from_json(saved, a.file + " metadata 'synapse.data'");
  } else {
    SYN_CHECK_T(ValueError, a.given("--target"), a.file,
                ": the file has no synapse metadata, so --target (and --features, --model, --lookback, --horizon) "
                "must say what the model forecasts");
  }
  if (a.given("--target")) d.target = a.target;
  if (a.given("--features")) d.features = a.features;
  const size_t cols = 1 + d.features.size();
  if (a.given("--scaler")) d.scaler.kind = forecast::scaler_from_name(a.scaler);
  if (a.given("--scaler-offset")) d.scaler.offset = a.scaler_offset;
  if (a.given("--scaler-scale")) d.scaler.scale = a.scaler_scale;
  if (d.scaler.offset.empty()) d.scaler.offset.assign(cols, 0.0);
  if (d.scaler.scale.empty()) d.scaler.scale.assign(cols, 1.0);
  SYN_CHECK_T(ValueError, d.scaler.offset.size() == cols && d.scaler.scale.size() == cols, a.file, ": the scaler has ",
              d.scaler.offset.size(), " offsets and ", d.scaler.scale.size(), " scales for ", cols,
              " input columns (the target and ", d.features.size(), " features)");
  forecast::Scaler check(d.scaler);  // ValueError for a scale <= 0
  return d;
}

int run_import(const ImportArgs& a) {
  const interop::SafetensorsFile file = interop::read_safetensors(a.file);
  const train::DataSettings data = data_settings(a, metadata_json(file, "synapse.data", a.file));
  const nn::ModelConfig config =
      model_config(a, metadata_json(file, "synapse.model", a.file), static_cast<int64_t>(1 + data.features.size()));
  const auto model = train::make_forecaster(config);
  model->load_state_dict(interop::state_dict_from_safetensors(*model, file, a.file));
  train::save_checkpoint(a.out, train::make_checkpoint(*model, data));
  std::fprintf(stderr, "wrote a %s model (lookback %lld, horizon %lld) from %s to %s\n", config.kind.c_str(),
               static_cast<long long>(config.lookback), static_cast<long long>(config.horizon), a.file.c_str(),
               a.out.c_str());
  return kExitOk;
}

}  // namespace

Command add_import_command(CLI::App& root) {
  auto a = std::make_shared<ImportArgs>();
  CLI::App* app = root.add_subcommand("import", "Make a checkpoint from a safetensors state dict (PyTorch or synapse export)");
  a->app = app;
  app->footer(
      "Tensors are matched by PyTorch's state-dict names; W_mask makes W masked, and torch.nn.utils.prune's "
      "W_orig + W_mask form is taken as W = W_orig * W_mask. Settings come from the file's synapse metadata "
      "when it has some; the options override them (any of them as JSON keys with --config). Without a "
      "scaler the model takes raw values. Exit status: 0 success, 2 bad usage or input (a missing, "
      "unexpected or misshapen tensor, a wrong dtype, a damaged file: the message names the tensor).");
  app->add_option("FILE", a->file, "Safetensors file")->required();
  app->add_option("--out", a->out, "Checkpoint to write")->required();
  app->add_option("--model", a->kind, "Model kind: rnn, lstm, gru, patchtst, paper-patchtst or linear (default: the file's metadata)");
  app->add_option("--lookback", a->lookback, "Input window length in rows (default: the file's metadata)");
  app->add_option("--horizon", a->horizon, "Forecast horizon in rows (default: the file's metadata)");
  app->add_option("--model-opt", a->model_opts, "Any model setting as KEY=VALUE, e.g. hidden_size=32 (default: the file's metadata, else the kind's defaults)");
  app->add_option("--target", a->target, "Name of the forecast column (default: the file's metadata)");
  app->add_option("--features", a->features, "Extra input columns, comma-separated (default: the file's metadata, else none)")->delimiter(',');
  app->add_option("--scaler", a->scaler, "standard or minmax (default: the file's metadata, else no scaling)");
  app->add_option("--scaler-offset", a->scaler_offset, "Fitted offsets, one per input column, comma-separated (default: the file's metadata)")
      ->delimiter(',');
  app->add_option("--scaler-scale", a->scaler_scale, "Fitted scales, one per input column, comma-separated (default: the file's metadata)")
      ->delimiter(',');
  return {app, [a] { return run_import(*a); }};
}

}  // namespace syn::apps
