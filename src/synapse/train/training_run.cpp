#include "synapse/train/training_run.hpp"

#include "synapse/core/error.hpp"
#include "synapse/train/model_factory.hpp"

namespace syn::train {

TrainingRun run_training(forecast::Series series, nn::ModelConfig config, DataSettings settings,
                         const TrainerOptions& options) {
  TrainingRun run = prepare_training(std::move(series), std::move(config), std::move(settings));
  train_and_score(run, options);
  return run;
}

TrainingRun prepare_training(forecast::Series series, nn::ModelConfig config, DataSettings settings) {
  config.input_size = series.cols();
  config.validate();
  const std::string source = series.source;
  SYN_CHECK_T(ValueError, series.rows() >= config.lookback + config.horizon, source, ": ", series.rows(),
              " rows (after missing-value handling) are fewer than lookback ", config.lookback, " + horizon ",
              config.horizon, "; every split needs at least one window");
  settings.target = series.columns.front();
  settings.features.assign(series.columns.begin() + 1, series.columns.end());

  TrainingRun run;
  try {
    run.data = forecast::ForecastData::prepare(std::move(series), settings.protocol, settings.scaler.kind,
                                               forecast::WindowSpec{config.lookback, config.horizon},
                                               settings.transform);
  } catch (const ValueError& e) {
    throw ValueError(detail::concat(source, ": ", e.what()));
  }
  settings.scaler = run.data.scaler.state();
  run.settings = std::move(settings);
  run.model = make_forecaster(config);
  return run;
}

void train_and_score(TrainingRun& run, const TrainerOptions& options) {
  Trainer trainer(*run.model, options);
  run.result = trainer.fit(run.data.train, run.data.val ? &*run.data.val : nullptr);
  run.test_prediction = predict(*run.model, run.data.test.inputs);
  run.test_metrics = run.data.score(run.test_prediction.mean, run.data.test);
  run.model->eval();
}

}  // namespace syn::train
