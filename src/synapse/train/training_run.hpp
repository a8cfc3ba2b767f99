#pragma once
// run_training: the whole supervised run on one series — prepare the data under the protocol, build
// the model, train it, forecast every test window and score them in original units. Used by
// `synapse train`, `synapse demo` and the experiment tools.
#include <memory>

#include "synapse/forecast/forecast_data.hpp"
#include "synapse/forecast/metrics.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/model_config.hpp"
#include "synapse/train/data_settings.hpp"
#include "synapse/train/prediction.hpp"
#include "synapse/train/trainer.hpp"
#include "synapse/train/trainer_options.hpp"

namespace syn::train {

struct TrainingRun {
  std::shared_ptr<nn::Forecaster> model;  // trained, in eval mode
  forecast::ForecastData data;
  DataSettings settings;  // as given, with the series' columns and the fitted scaler state
  TrainResult result;
  Prediction test_prediction;  // of data.test, scaled units
  forecast::Metrics test_metrics;

  int64_t test_windows() const { return data.test.count(); }
};

// prepare_training then train_and_score.
TrainingRun run_training(forecast::Series series, nn::ModelConfig config, DataSettings settings,
                         const TrainerOptions& options);

// The data under the settings' protocol and the untrained model (result and test fields empty).
// config.input_size is set to the number of series columns. ValueError naming the series' source
// when it has fewer rows than lookback + horizon or a split gets no window; ValueError for an
// invalid config or a model kind this build lacks.
TrainingRun prepare_training(forecast::Series series, nn::ModelConfig config, DataSettings settings);

// Trains run.model on run.data (early stopping on run.data.val), then forecasts and scores every
// test window; leaves the model in eval mode.
void train_and_score(TrainingRun& run, const TrainerOptions& options);

}  // namespace syn::train
