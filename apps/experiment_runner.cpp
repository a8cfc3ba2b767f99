#include "experiment_runner.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <set>

#include "json_report.hpp"
#include "synapse/core/error.hpp"
#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/selection.hpp"
#include "synapse/pruning/paper_preset.hpp"
#include "synapse/pruning/pruner.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/training_run.hpp"

namespace syn::apps {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string setting_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Everything a run needs besides its data.
struct RunPlan {
  nn::ModelConfig config;
  train::TrainerOptions options;
  std::optional<pruning::Schedule> schedule;
  pruning::PrunerOptions pruner;
};

template <class T>
T get_or(const json& s, const char* key, T fallback) {
  return s.contains(key) ? s.at(key).get<T>() : fallback;
}

RunPlan plan_run(const json& s) {
  RunPlan p;
  const std::string kind = s.at("model").get<std::string>();
  std::map<std::string, std::string> values = p.config.to_map();
  values["kind"] = kind;
  values["lookback"] = setting_text(s.at("lookback"));
  values["seed"] = setting_text(s.at("seed"));
  const std::string reg = s.at("reg").get<std::string>();
  // The study's transformer keeps dropout alongside pruning (../shared/study.md).
  values["reg"] = reg == "pruning" && (kind == "patchtst" || kind == "paper-patchtst") ? "pruning+dropout" : reg;
  for (const char* key : {"horizon", "dropout", "mc_samples", "hidden_size", "num_layers", "nonlinearity",
                                 "patch_len", "stride", "d_model", "n_heads", "n_layers", "d_ff", "norm",
                                 "activation", "revin"})
    if (s.contains(key)) values[key] = setting_text(s.at(key));
  try {
    p.config = nn::ModelConfig::from_map(values);
  } catch (const json::exception& e) {
    throw ValueError(e.what());
  }

  train::TrainerOptions& o = p.options;
  o.epochs = get_or<int64_t>(s, "epochs", o.epochs);
  o.batch_size = get_or<int64_t>(s, "batch", o.batch_size);
  o.lr = get_or<double>(s, "lr", o.lr);
  o.optimizer = train::optimizer_from_name(get_or<std::string>(s, "optimizer", "adam"));
  o.weight_decay = get_or<double>(s, "weight_decay", 0.0);
  o.loss = train::loss_from_name(get_or<std::string>(s, "loss", "mse"));
  o.clip_norm = get_or<double>(s, "clip", 0.0);
  o.seed = p.config.seed;
  const forecast::Protocol protocol = forecast::Protocol::from_name(s.at("protocol").get<std::string>());
  o.early_stopping = get_or<bool>(s, "early_stopping", true)
                         ? train::EarlyStopping::for_protocol(protocol, get_or<int64_t>(s, "patience", 0))
                         : train::EarlyStopping::off();
  o.progress = train::ProgressMode::never;
  o.validate();

  if (p.config.pruning()) {
    pruning::Schedule sch = pruning::preset_schedule(
        pruning::schedule_from_name(get_or<std::string>(s, "schedule", "paper_ramp")), kind, o.epochs);
    sch.initial_sparsity = get_or<double>(s, "initial_sparsity", sch.initial_sparsity);
    sch.final_sparsity = get_or<double>(s, "final_sparsity", sch.final_sparsity);
    sch.begin.value = get_or<int64_t>(s, "prune_begin", sch.begin.value);
    sch.end.value = get_or<int64_t>(s, "prune_end", sch.end.value);
    sch.frequency = get_or<int64_t>(s, "prune_every", sch.frequency);
    sch.validate();
    p.schedule = sch;
    p.pruner.scope = pruning::scope_from_name(get_or<std::string>(s, "scope", "global"));
    p.pruner.score = pruning::score_from_name(get_or<std::string>(s, "score", "magnitude"));
    p.pruner.granularity = pruning::Granularity::parse(get_or<std::string>(s, "granularity", "element"));
    p.pruner.seed = p.config.seed;
  }
  return p;
}

// plan_run with errors naming the run.
RunPlan plan_checked(const forecast::ExperimentGrid& grid, const forecast::RunSpec& run) {
  try {
    return plan_run(run.settings);
  } catch (const std::exception& e) {
    throw ValueError(detail::concat("grid '", grid.file.string(), "': run ", run.index, " (", run.label(),
                                    "): ", e.what()));
  }
}

// The dataset's settings from the first run that names it.
GridDataset read_dataset(const json& s, const std::filesystem::path& path) {
  GridDataset d;
  train::DataSettings& ds = d.settings;
  ds.target = s.at("target").get<std::string>();
  ds.ignore = s.at("ignore").get<std::vector<std::string>>();
  ds.na_values = s.at("na").get<std::vector<double>>();
  ds.na_markers = s.at("na_markers").get<std::vector<std::string>>();
  ds.missing = train::missing_policy_from_name(s.at("missing").get<std::string>());
  const forecast::Table table = forecast::read_csv(path.string(), ds.csv_options());
  if (s.at("features") == "all") {
    for (const std::string& c : forecast::numeric_columns(table))
      if (c != ds.target) ds.features.push_back(c);
  } else {
    ds.features = s.at("features").get<std::vector<std::string>>();
  }
  d.series = forecast::select_series(table, ds.selection());
  return d;
}

// The dataset's settings with the run's protocol and scaler.
train::DataSettings run_settings(const GridDataset& data, const json& s) {
  train::DataSettings settings = data.settings;
  settings.protocol = forecast::Protocol::from_name(s.at("protocol").get<std::string>());
  settings.scaler.kind = forecast::scaler_from_name(s.value("scaler", "standard"));
  return settings;
}

// Per epoch, the pruned tensors' sparsity; per step, the wall time between steps of one epoch.
class RunRecorder : public train::TrainerCallback {
 public:
  explicit RunRecorder(const pruning::Pruner* pruner) : pruner_(pruner) {}
  void on_step(const train::StepInfo& info, nn::Forecaster&) override {
    const Clock::time_point now = Clock::now();
    if (info.batch > 1) {
      step_seconds_ += std::chrono::duration<double>(now - last_).count();
      ++timed_steps_;
    }
    last_ = now;
    steps_ = info.step;
  }
  void on_epoch_end(const train::EpochInfo&, nn::Forecaster&) override {
    if (pruner_) curve_.push_back(pruner_->sparsity());
  }
  json curve() const { return curve_; }
  int64_t steps() const { return steps_; }
  double mean_step_seconds() const { return timed_steps_ ? step_seconds_ / static_cast<double>(timed_steps_) : 0; }

 private:
  const pruning::Pruner* pruner_;
  std::vector<double> curve_;
  Clock::time_point last_;
  double step_seconds_ = 0;
  int64_t timed_steps_ = 0, steps_ = 0;
};

// The last kForecastTail one-step forecasts of the test part and their actual values, original units.
json forecast_tail(const train::TrainingRun& run) {
  const forecast::Windows& test = run.data.test;
  const int64_t n = test.count(), h = test.horizon();
  const std::vector<float> predicted = run.test_prediction.mean.to_vector();
  json actual = json::array(), forecast = json::array();
  for (int64_t i = std::max<int64_t>(0, n - kForecastTail); i < n; ++i) {
    actual.push_back(run.data.series.at(test.first_target_row + i, 0));
    forecast.push_back(run.data.scaler.inverse(predicted[static_cast<size_t>(i * h)], 0));
  }
  return {{"actual", actual}, {"predicted", forecast}};
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

GridDatasets prepare_grid(const forecast::ExperimentGrid& grid) {
  GridDatasets datasets;
  std::set<std::string> prepared;
  for (const forecast::RunSpec& run : grid.runs) {
    const std::string name = run.settings.at("dataset").get<std::string>();
    if (!datasets.contains(name)) {
      try {
        datasets.emplace(name, read_dataset(run.settings, run.data_path));
      } catch (const ValueError& e) {
        throw ValueError(detail::concat("grid '", grid.file.string(), "': dataset '", name, "': ", e.what()));
      }
    }
    // The data must give every split a window for the run's model, lookback and horizon (checked once
    // per combination by preparing, not training, the run).
    const RunPlan plan = plan_checked(grid, run);
    const std::string shape = detail::concat(name, " ", plan.config.kind, " ", plan.config.lookback, " ",
                                             plan.config.horizon, " ", run.settings.at("protocol").get<std::string>());
    if (!prepared.insert(shape).second) continue;
    try {
      train::prepare_training(datasets.at(name).series, plan.config, run_settings(datasets.at(name), run.settings));
    } catch (const ValueError& e) {
      throw ValueError(detail::concat("grid '", grid.file.string(), "': run ", run.index, " (", run.label(),
                                      "): ", e.what()));
    }
  }
  return datasets;
}

json execute_run(const forecast::ExperimentGrid& grid, const forecast::RunSpec& run, const GridDataset& data) {
  RunPlan plan = plan_checked(grid, run);
  train::TrainingRun tr = train::prepare_training(data.series, plan.config, run_settings(data, run.settings));
  std::unique_ptr<train::PruningCallback> pruning;
  if (plan.schedule) {
    pruning = std::make_unique<train::PruningCallback>(pruning::Pruner(*tr.model, plan.pruner), *plan.schedule);
    plan.options.callbacks.push_back(pruning.get());
  }
  RunRecorder recorder(pruning ? &pruning->pruner() : nullptr);
  plan.options.callbacks.push_back(&recorder);
  train::train_and_score(tr, plan.options);
  const double sparsity = pruning ? pruning->pruner().sparsity() : pruning::Pruner(*tr.model, {}).sparsity();
  return {{"key", run.key},
          {"grid", grid.name},
          {"settings", run.settings},
          {"metrics", metrics_json(tr.test_metrics, tr.test_prediction, tr.data.scaler)},
          {"training", training_json(tr.result)},
          {"sparsity", sparsity},
          {"sparsity_curve", recorder.curve()},
          {"pruning_updates", pruning ? pruning->updates() : 0},
          {"steps", recorder.steps()},
          {"step_seconds", recorder.mean_step_seconds()},
          {"seconds", tr.result.seconds},
          {"parameters", tr.model->num_parameters()},
          {"test_windows", tr.test_windows()},
          {"forecast", forecast_tail(tr)},
          {"finished", utc_now()}};
}

}  // namespace syn::apps
