// synapse predict: forecasts of a saved model from every origin of a CSV file, as CSV.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "command.hpp"
#include "run_options.hpp"
#include "synapse/core/error.hpp"
#include "synapse/forecast/target_transform.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/forecast_origins.hpp"
#include "synapse/train/prediction.hpp"

namespace syn::apps {
namespace {

struct PredictArgs {
  std::string model_file, data, kind, out;
  std::optional<uint64_t> seed;
  RunOptions run;
};

// One row per origin: its timestamp (or row of the file's series), then t+1..t+H in original units
// (the transform undone), then the MC-dropout standard deviations sd_t+1..sd_t+H when the model has
// them (of the forecast values: of the transformed target under --transform diff or logdiff).
std::string forecasts_csv(const forecast::TransformedSeries& t, const train::ForecastOrigins& origins,
                          const train::Prediction& p, const forecast::Scaler& scaler,
                          forecast::TargetTransform transform) {
  const int64_t horizon = p.mean.size(1), n = origins.count();
  const double scale = scaler.state().scale.at(0);
  std::vector<double> levels(static_cast<size_t>(n * horizon)), origin_levels(static_cast<size_t>(n));
  for (size_t i = 0; i < levels.size(); ++i) levels[i] = scaler.inverse(p.mean.data()[i], 0);
  for (int64_t i = 0; i < n; ++i) origin_levels[static_cast<size_t>(i)] = t.levels.at(static_cast<size_t>(origins.first_row + i));
  forecast::invert_forecasts(transform, levels, horizon, origin_levels);
  std::ostringstream out;
  out.precision(10);
  out << (t.series.timestamps.empty() ? "row" : "timestamp");
  for (int64_t h = 1; h <= horizon; ++h) out << ",t+" << h;
  if (p.spread.defined())
    for (int64_t h = 1; h <= horizon; ++h) out << ",sd_t+" << h;
  out << '\n';
  for (int64_t i = 0; i < n; ++i) {
    const int64_t row = origins.first_row + i;
    if (t.series.timestamps.empty())
      out << row + t.offset;
    else
      out << t.series.timestamps[static_cast<size_t>(row)];
    for (int64_t h = 0; h < horizon; ++h) out << ',' << levels[static_cast<size_t>(i * horizon + h)];
    if (p.spread.defined())
      for (int64_t h = 0; h < horizon; ++h) out << ',' << p.spread.data()[i * horizon + h] * scale;
    out << '\n';
  }
  return out.str();
}

int run_predict(const PredictArgs& a) {
  a.run.apply();
  if (!a.out.empty()) train::check_writable(a.out, "--out");
  train::Checkpoint c = train::load_checkpoint(a.model_file, a.kind);
  if (a.seed) c.config.seed = *a.seed;
  const auto model = train::restore_model(c, a.model_file);
  const forecast::TransformedSeries t =
      forecast::transform_target(train::read_series(a.data, c.data), c.data.transform);
  const forecast::Scaler scaler(c.data.scaler);
  const train::ForecastOrigins origins = train::forecast_origins(t.series, scaler, c.config.lookback);
  const train::Prediction p =
      train::predict(*model, origins.inputs, train::kPredictBatch, mc_progress(a.run, c.config));
  const std::string csv = forecasts_csv(t, origins, p, scaler, c.data.transform);
  if (a.out.empty()) {
    std::cout << csv << std::flush;
  } else {
    train::write_file_atomically(a.out, csv);
    a.run.info("wrote %lld forecasts of %lld steps to %s", static_cast<long long>(origins.count()),
               static_cast<long long>(c.config.horizon), a.out.c_str());
  }
  return kExitOk;
}

}  // namespace

Command add_predict_command(CLI::App& root) {
  auto a = std::make_shared<PredictArgs>();
  CLI::App* app =
      root.add_subcommand("predict", "Forecast with a saved model from every origin of a CSV file");
  app->footer(
      "Writes CSV: one row per forecast origin (every row with a full lookback, the last one included), its "
      "timestamp or row number, then the forecasts t+1..t+H in original units (the checkpoint's --transform "
      "undone; sd_t+1.. for MC dropout). Exit status: 0 success, 2 bad usage or input.");
  add_model_file(*app, a->model_file);
  app->add_option("--data", a->data, "CSV file with the training file's columns")
      ->required()
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  app->add_option("--out", a->out, "Write the CSV here (default: stdout)")->type_name("FILE");
  add_kind_check(*app, a->kind);
  app->add_option("--seed", a->seed, "Seed of the MC-dropout passes (default: the checkpoint's)");
  add_run_options(*app, a->run);
  return {app, [a] { return run_predict(*a); }};
}

}  // namespace syn::apps
