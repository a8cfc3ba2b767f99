// synapse predict: forecasts of a saved model from every origin of a CSV file, as CSV.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "command.hpp"
#include "synapse/core/error.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/forecast_origins.hpp"
#include "synapse/train/prediction.hpp"

namespace syn::apps {
namespace {

struct PredictArgs {
  std::string model_file, data, kind, out;
};

// One row per origin: its timestamp (or series row), then t+1..t+H in original units, then the
// MC-dropout standard deviations sd_t+1..sd_t+H when the model has them.
std::string forecasts_csv(const forecast::Series& series, const train::ForecastOrigins& origins,
                          const train::Prediction& p, const forecast::Scaler& scaler) {
  const int64_t horizon = p.mean.size(1);
  const double scale = scaler.state().scale.at(0);
  std::ostringstream out;
  out.precision(10);
  out << (series.timestamps.empty() ? "row" : "timestamp");
  for (int64_t h = 1; h <= horizon; ++h) out << ",t+" << h;
  if (p.spread.defined())
    for (int64_t h = 1; h <= horizon; ++h) out << ",sd_t+" << h;
  out << '\n';
  for (int64_t i = 0; i < origins.count(); ++i) {
    const int64_t row = origins.first_row + i;
    if (series.timestamps.empty())
      out << row;
    else
      out << series.timestamps[static_cast<size_t>(row)];
    for (int64_t h = 0; h < horizon; ++h) out << ',' << scaler.inverse(p.mean.data()[i * horizon + h], 0);
    if (p.spread.defined())
      for (int64_t h = 0; h < horizon; ++h) out << ',' << p.spread.data()[i * horizon + h] * scale;
    out << '\n';
  }
  return out.str();
}

int run_predict(const PredictArgs& a) {
  if (!a.out.empty()) train::check_writable(a.out, "--out");
  const train::Checkpoint c = train::load_checkpoint(a.model_file, a.kind);
  const auto model = train::restore_model(c, a.model_file);
  const forecast::Series series = train::read_series(a.data, c.data);
  const forecast::Scaler scaler(c.data.scaler);
  const train::ForecastOrigins origins = train::forecast_origins(series, scaler, c.config.lookback);
  const train::Prediction p = train::predict(*model, origins.inputs);
  const std::string csv = forecasts_csv(series, origins, p, scaler);
  if (a.out.empty()) {
    std::cout << csv << std::flush;
  } else {
    train::write_file_atomically(a.out, csv);
    std::fprintf(stderr, "wrote %lld forecasts of %lld steps to %s\n",
                 static_cast<long long>(origins.count()), static_cast<long long>(c.config.horizon),
                 a.out.c_str());
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
      "timestamp or row number, then the forecasts t+1..t+H in original units (and sd_t+1.. for MC dropout). "
      "Exit status: 0 success, 2 bad usage or input.");
  app->add_option("--model-file", a->model_file, "Checkpoint written by synapse train")->required();
  app->add_option("--data", a->data, "CSV file with the training file's columns")
      ->required()
      ->check(CLI::ExistingFile);
  app->add_option("--out", a->out, "Write the CSV here instead of stdout");
  app->add_option("--model", a->kind, "Refuse a checkpoint of another model kind");
  return {app, [a] { return run_predict(*a); }};
}

}  // namespace syn::apps
