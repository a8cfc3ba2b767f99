// synapse demo: the main job of scripts/demo — train the demo model without regularisation, with
// dropout and with synaptic pruning on an embedded, generated series, compare them, and plot the
// forecasts (Note [Demo budget]).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli_values.hpp"
#include "command.hpp"
#include "run_options.hpp"
#include "svg_plot.hpp"
#include "synapse/forecast/baselines.hpp"
#include "synapse/forecast/selection.hpp"
#include "synapse/forecast/synthetic.hpp"
#include "synapse/pruning/pruner.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/training_run.hpp"

namespace syn::apps {
namespace {

// Note [Demo budget]
// The demo must finish in a few minutes on 2 cores, build included. Its model kind is the one
// constant below; the rest is sized for an LSTM with hidden 64 and 2 layers (ModelConfig's
// defaults) at lookback 48: 20 weeks of hourly data (~2.3k training windows), batch 32, at most 20
// epochs with early stopping, for the three runs (no regularisation, dropout, pruning) with the same
// seed and budget: about 20 s per run on one core of the development machine. The pruned run uses
// global magnitude pruning on the Zhu–Gupta schedule from 0 to kPruneTo between epochs 1 and
// kPruneEnd, so that it trains its last epochs at the final sparsity.
constexpr const char* kDemoModel = "lstm";
constexpr int64_t kRows = 24 * 7 * 20;
constexpr int64_t kLookback = 48;
constexpr int64_t kHorizon = 24;
constexpr int64_t kEpochs = 20;
constexpr int64_t kBatch = 32;
constexpr uint64_t kSeed = 7;
constexpr float kDropout = 0.2f;
constexpr double kPruneTo = 0.9;
constexpr int64_t kPruneEnd = 8;

struct DemoArgs {
  std::string out_dir = "out";
  int64_t epochs = kEpochs;
  uint64_t seed = kSeed;
  RunOptions run;
};

struct Row {
  std::string name;
  forecast::Metrics metrics;
  int64_t epochs = 0;
  double seconds = 0;
  double last_epoch_seconds = 0;  // of the last epoch (pruned runs: at their final sparsity)
  double sparsity = 0;
};

// Forecasts of non-overlapping origins (every H-th test window), in original units, laid end to end
// over the test rows: y[r] for r in the test part (NaN where no origin covers r).
std::vector<double> tiled_forecasts(const forecast::ForecastData& d, const Tensor& scaled) {
  const int64_t h = d.test.horizon(), begin = d.split.test.begin;
  const std::vector<double> levels = d.forecast_levels(scaled, d.test);
  std::vector<double> y(static_cast<size_t>(d.split.test.size()), std::nan(""));
  for (int64_t i = 0; i < d.test.count(); i += h)
    for (int64_t k = 0; k < h; ++k)
      y[static_cast<size_t>(d.test.first_target_row + i + k - begin)] = levels[static_cast<size_t>(i * h + k)];
  return y;
}

void print_table(const std::vector<Row>& rows) {
  std::printf("\n%-24s %9s %9s %8s %6s %6s %8s %12s %8s\n", "model", "MAE", "RMSE", "sMAPE %", "MASE", "epochs",
              "train s", "last epoch s", "sparsity");
  for (const Row& r : rows)
    std::printf("%-24s %9.3f %9.3f %8.2f %6.3f %6lld %8.2f %12.3f %8.3f\n", r.name.c_str(), r.metrics.mae,
                r.metrics.rmse, r.metrics.smape, r.metrics.mase, static_cast<long long>(r.epochs), r.seconds,
                r.last_epoch_seconds, r.sparsity);
}

int run_demo(const DemoArgs& a) {
  a.run.apply();
  forecast::SyntheticOptions synthetic;
  synthetic.rows = kRows;
  const forecast::Series series =
      forecast::select_series(forecast::make_synthetic(synthetic), {"demand", {"temperature"}, {}});
  train::DataSettings settings;
  settings.protocol = forecast::Protocol::clean();
  std::printf(
      "synapse demo: %s forecaster on a generated hourly demand series (%lld rows: demand with daily and "
      "weekly cycles, a trend and a level shift, plus temperature as a feature)\n",
      kDemoModel, static_cast<long long>(kRows));
  std::printf("lookback %lld h, horizon %lld h, batch %lld, %lld epochs at most, seed %llu; %s\n",
              static_cast<long long>(kLookback), static_cast<long long>(kHorizon),
              static_cast<long long>(kBatch), static_cast<long long>(a.epochs),
              static_cast<unsigned long long>(a.seed), settings.protocol.describe().c_str());
  std::fflush(stdout);

  std::vector<Row> rows;
  std::vector<PlotLine> lines;
  const char* colors[] = {"#d62728", "#1f77b4", "#2ca02c"};
  for (const std::string reg : {"none", "dropout", "pruning"}) {
    nn::ModelConfig config;
    config.kind = kDemoModel;
    config.lookback = kLookback;
    config.horizon = kHorizon;
    config.seed = a.seed;
    config.reg = reg;
    config.dropout = kDropout;
    train::TrainerOptions options;
    options.epochs = a.epochs;
    options.batch_size = kBatch;
    options.seed = a.seed;
    options.progress = a.run.progress() ? train::ProgressMode::automatic : train::ProgressMode::never;
    options.early_stopping = train::EarlyStopping::for_protocol(settings.protocol);
    const std::string name =
        std::string(kDemoModel) + (reg == "dropout"   ? " + dropout " + std::to_string(kDropout).substr(0, 3)
                                   : reg == "pruning" ? " + pruning to " + std::to_string(kPruneTo).substr(0, 3)
                                                      : "");
    a.run.info("training %s ...", name.c_str());
    train::TrainingRun run = train::prepare_training(series, config, settings);
    std::unique_ptr<train::PruningCallback> pruning;
    if (reg == "pruning") {
      pruning::Schedule schedule;
      schedule.kind = pruning::ScheduleKind::zhu_gupta;
      schedule.initial_sparsity = 0;
      schedule.final_sparsity = kPruneTo;
      schedule.begin = {std::min<int64_t>(1, a.epochs - 1), pruning::TimeUnit::epochs};
      schedule.end = {std::min(kPruneEnd, a.epochs), pruning::TimeUnit::epochs};
      schedule.frequency = 10;
      pruning::PrunerOptions pruner;
      pruner.model_kind = kDemoModel;
      pruning = std::make_unique<train::PruningCallback>(pruning::Pruner(*run.model, pruner), schedule);
      options.callbacks.push_back(pruning.get());
    }
    train::train_and_score(run, options);
    a.run.info("  %s in %.2fs", run.result.message.c_str(), run.result.seconds);
    if (rows.empty()) {
      rows.push_back(
          {"naive (repeat last)",
           run.data.score_levels(forecast::naive_forecasts(run.data, run.data.test), run.data.test), 0, 0});
      PlotLine actual{"actual", "#222222", {}, {}, 1.2};
      for (int64_t r = run.data.split.test.begin; r < run.data.split.test.end; ++r) {
        actual.x.push_back(static_cast<double>(r - run.data.split.test.begin));
        actual.y.push_back(run.data.levels.at(static_cast<size_t>(r)));
      }
      lines.push_back(actual);
    }
    rows.push_back({name, run.test_metrics, static_cast<int64_t>(run.result.history.size()), run.result.seconds,
                    run.result.history.back().seconds, pruning ? pruning->pruner().sparsity() : 0.0});
    PlotLine forecast{name, colors[lines.size() - 1], lines.front().x,
                      tiled_forecasts(run.data, run.test_prediction.mean)};
    lines.push_back(forecast);
  }
  print_table(rows);

  std::filesystem::create_directories(a.out_dir);
  const std::filesystem::path svg = std::filesystem::path(a.out_dir) / "demo_forecast.svg";
  PlotSpec plot{"Test part: actual demand and " + std::to_string(kHorizon) + "-hour forecasts from every " +
                    std::to_string(kHorizon) + "th hour",
                "hours into the test part", "demand", lines};
  train::write_file_atomically(svg, render_line_plot(plot));
  std::printf("\nplot of forecast vs actual on the test part: %s\n",
              std::filesystem::absolute(svg).string().c_str());
  return kExitOk;
}

}  // namespace

Command add_demo_command(CLI::App& root) {
  auto a = std::make_shared<DemoArgs>();
  CLI::App* app =
      root.add_subcommand("demo", "Train without regularisation, with dropout and with pruning on a generated "
                                  "series, compare, plot");
  app->add_option("--out-dir", a->out_dir, "Where to write demo_forecast.svg")->capture_default_str();
  app->add_option("--seed", a->seed, "Seed of every run")->capture_default_str();
  app->add_option("--epochs", a->epochs, "Maximum epochs per run")
      ->check(positive_integer())
      ->capture_default_str();
  add_run_options(*app, a->run);
  return {app, [a] { return run_demo(*a); }};
}

}  // namespace syn::apps
