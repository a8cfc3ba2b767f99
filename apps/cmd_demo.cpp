// synapse demo: the main job of scripts/demo — train the demo model with and without dropout on an
// embedded, generated series, compare them, and plot the forecasts (Note [Demo budget]).
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
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/training_run.hpp"

namespace syn::apps {
namespace {

// Note [Demo budget]
// The demo must finish in a few minutes on 2 cores, build included. Its model kind is the one
// constant below; the rest is sized for an LSTM with hidden 64 and 2 layers (ModelConfig's
// defaults) at lookback 48: 20 weeks of hourly data (~2.3k training windows), batch 32, at most 20
// epochs with early stopping, for both runs (no regularisation, dropout) with the same seed and
// budget: about 20 s per run on one core of the development machine.
constexpr const char* kDemoModel = "lstm";
constexpr int64_t kRows = 24 * 7 * 20;
constexpr int64_t kLookback = 48;
constexpr int64_t kHorizon = 24;
constexpr int64_t kEpochs = 20;
constexpr int64_t kBatch = 32;
constexpr uint64_t kSeed = 7;
constexpr float kDropout = 0.2f;

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
  std::printf("\n%-22s %10s %10s %9s %7s %7s %9s\n", "model", "MAE", "RMSE", "sMAPE %", "MASE", "epochs",
              "train s");
  for (const Row& r : rows)
    std::printf("%-22s %10.3f %10.3f %9.2f %7.3f %7lld %9.2f\n", r.name.c_str(), r.metrics.mae,
                r.metrics.rmse, r.metrics.smape, r.metrics.mase, static_cast<long long>(r.epochs), r.seconds);
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
  const char* colors[] = {"#d62728", "#1f77b4"};
  for (const std::string reg : {"none", "dropout"}) {
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
    const std::string name = std::string(kDemoModel) +
                             (reg == "none" ? "" : " + dropout " + std::to_string(kDropout).substr(0, 3));
    a.run.info("training %s ...", name.c_str());
    const train::TrainingRun run = train::run_training(series, config, settings, options);
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
    rows.push_back(
        {name, run.test_metrics, static_cast<int64_t>(run.result.history.size()), run.result.seconds});
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
      root.add_subcommand("demo", "Train with and without dropout on a generated series, compare, plot");
  app->add_option("--out-dir", a->out_dir, "Where to write demo_forecast.svg")->capture_default_str();
  app->add_option("--seed", a->seed, "Seed of both runs")->capture_default_str();
  app->add_option("--epochs", a->epochs, "Maximum epochs per run")
      ->check(positive_integer())
      ->capture_default_str();
  add_run_options(*app, a->run);
  return {app, [a] { return run_demo(*a); }};
}

}  // namespace syn::apps
