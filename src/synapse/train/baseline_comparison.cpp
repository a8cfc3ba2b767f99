#include "synapse/train/baseline_comparison.hpp"

#include <algorithm>
#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/baselines.hpp"

namespace syn::train {
namespace {

std::string remedies(const forecast::ForecastData& d, bool revin) {
  std::string out;
  if (d.transform == forecast::TargetTransform::none)
    out = "--transform diff (or logdiff for a positive series)";
  if (!revin) out += (out.empty() ? "" : " or ") + std::string("--model-opt revin=true");
  return out.empty() ? "a longer lookback or another model kind" : out;
}

}  // namespace

BaselineComparison compare_with_baselines(const forecast::ForecastData& d, const forecast::Windows& windows,
                                          const forecast::Metrics& model, int64_t season,
                                          forecast::RowRange training) {
  BaselineComparison c;
  c.naive = d.score_levels(forecast::naive_forecasts(d, windows), windows);
  c.mae_vs_naive = c.naive.mae > 0 ? model.mae / c.naive.mae : std::nan("");
  if (season == kDetectSeason) {
    std::string frequency;
    season = forecast::detect_season(d.series, &frequency);
    c.season_from = season ? detail::concat("detected: a ", frequency, " time index")
                           : std::string("none detected (no time index of a known frequency; give --season)");
  } else {
    c.season_from = season ? "--season" : "--season 0";
  }
  if (season >= 2 && windows.first_target_row >= season) {
    c.season = season;
    c.seasonal_naive = d.score_levels(forecast::seasonal_naive_forecasts(d, windows, season), windows);
    if (c.seasonal_naive->mae > 0) c.mae_vs_seasonal_naive = model.mae / c.seasonal_naive->mae;
  } else if (season >= 2) {
    c.season_from += detail::concat("; season ", season, " reaches before the first row, no seasonal baseline");
  }
  const auto first = d.levels.begin() + training.begin, last = d.levels.begin() + training.end;
  const auto [lo, hi] = std::minmax_element(first, last);
  const std::vector<double> actual = d.actual_levels(windows);
  int64_t outside = 0;
  for (double a : actual) outside += a < *lo || a > *hi;
  c.outside_training_range = static_cast<double>(outside) / static_cast<double>(actual.size());
  return c;
}

std::vector<std::string> result_warnings(const BaselineComparison& c, const forecast::Metrics& model,
                                         const forecast::ForecastData& d, const nn::ModelConfig& config,
                                         const TrainResult* result) {
  const bool revin = config.uses_revin();
  std::vector<std::string> out;
  if (c.mae_vs_naive > 1)
    out.push_back(detail::concat("the model is worse than the naive forecast: MAE ", model.mae, " vs ", c.naive.mae,
                                 " for repeating the last value (mae_vs_naive ", c.mae_vs_naive,
                                 "); try ", remedies(d, revin), config.kind == "linear" ? "" : ", --model linear",
                                 " or more epochs"));
  else if (c.mae_vs_seasonal_naive && *c.mae_vs_seasonal_naive > 1)
    out.push_back(detail::concat("the model is worse than the seasonal naive forecast (season ", c.season,
                                 "): MAE ", model.mae, " vs ", c.seasonal_naive->mae, " (mae_vs_seasonal_naive ",
                                 *c.mae_vs_seasonal_naive, ")"));
  if (result && result->best_epoch > 0 && std::isfinite(result->best_val_loss)) {
    const EpochInfo& best = result->history.at(static_cast<size_t>(result->best_epoch - 1));
    if (best.train_loss > 0 && best.val_loss > kExtrapolationRatio * best.train_loss)
      out.push_back(detail::concat("the validation loss ", best.val_loss, " is ", best.val_loss / best.train_loss,
                                   " times the training loss ", best.train_loss, " (epoch ", best.epoch,
                                   "): the later data likely lies outside the training range (a trend or a level "
                                   "shift) and the model extrapolates; ", remedies(d, revin), " usually help"));
  }
  if (c.outside_training_range > 0.5 && d.transform == forecast::TargetTransform::none && !revin)
    out.push_back(detail::concat(std::lround(100 * c.outside_training_range),
                                 "% of the scored values lie outside the training part's range: the model "
                                 "extrapolates; ", remedies(d, revin), " usually help"));
  return out;
}

}  // namespace syn::train
