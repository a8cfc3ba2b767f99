#pragma once
// BaselineComparison: a model's test scores beside the naive and seasonal-naive forecasts of the same
// windows, and the warnings a user needs to read them (Note [Honest results]).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "synapse/forecast/forecast_data.hpp"
#include "synapse/forecast/metrics.hpp"
#include "synapse/train/trainer.hpp"

namespace syn::train {

// Note [Honest results]
// train and eval score the naive forecast (the last level repeated) and, when a season is given or
// detected from the time index, the seasonal naive one on the very windows the model is scored on.
// mae_vs_naive = model MAE / naive MAE on those windows (< 1: the model beats the naive forecast);
// it is the test-part ratio. MASE divides by the training part's one-step naive MAE instead (the
// textbook scale), so on a trending or noisy test part even the naive forecast can score MASE 2.
// Warnings (stderr and the JSON's "warnings") are raised when the model is worse than a baseline,
// when the validation loss is many times the training loss or the test part lies mostly outside the
// training range (the model extrapolates), each saying what usually helps.

inline constexpr int64_t kDetectSeason = -1;  // season option value: detect from the time index
inline constexpr double kExtrapolationRatio = 10.0;  // validation / training loss that warns

struct BaselineComparison {
  forecast::Metrics naive;
  std::optional<forecast::Metrics> seasonal_naive;
  int64_t season = 0;       // 0: no seasonal baseline
  std::string season_from;  // how the season was chosen, or why there is none
  double mae_vs_naive = 0;
  std::optional<double> mae_vs_seasonal_naive;
  double outside_training_range = 0;  // fraction of the scored levels outside the training part's range
};

// season: > 1 given, 0 none, kDetectSeason from the time index. `training` (the part the scaler and
// MASE came from) gives the range the outside fraction is measured against.
BaselineComparison compare_with_baselines(const forecast::ForecastData& d, const forecast::Windows& windows,
                                          const forecast::Metrics& model, int64_t season,
                                          forecast::RowRange training);

// The warnings of Note [Honest results], with remedies the model's config does not use yet;
// `result` (training's history) adds the loss-ratio check.
std::vector<std::string> result_warnings(const BaselineComparison& c, const forecast::Metrics& model,
                                         const forecast::ForecastData& d, const nn::ModelConfig& config,
                                         const TrainResult* result = nullptr);

}  // namespace syn::train
