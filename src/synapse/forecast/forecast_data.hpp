#pragma once
// ForecastData: a Series made ready for a model under a Protocol, in one call: the target transform
// (Note [Target transforms]), the split, a scaler fitted on split.scaler_fit, the windows of each
// split (Note [Window ownership]) and the MASE scale.
#include <optional>
#include <span>
#include <vector>

#include "synapse/core/tensor.hpp"
#include "synapse/forecast/metrics.hpp"
#include "synapse/forecast/protocol.hpp"
#include "synapse/forecast/scaler.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/forecast/split.hpp"
#include "synapse/forecast/target_transform.hpp"
#include "synapse/forecast/windows.hpp"

namespace syn::forecast {

struct ForecastData {
  Series series;  // what the model sees: original units, the target transformed
  TargetTransform transform = TargetTransform::none;
  std::vector<double> levels;  // the original target at each series row (Note [Target transforms])
  Split split;
  Scaler scaler;  // every column of the series; column 0 is the (transformed) target
  Windows train, test;
  std::optional<Windows> val;  // the early-stopping windows: clean: validation (none when its
                               // fraction is 0); paper: the test windows themselves
  double naive_mae = 0;        // naive one-step MAE of the training part's levels, the MASE scale

  // The transformed series and its levels; nothing split or scaled yet.
  static ForecastData of(Series original, TargetTransform transform);
  static ForecastData prepare(Series original, const Protocol& protocol, ScalerKind scaler, WindowSpec spec,
                              TargetTransform transform = TargetTransform::none);

  // predictions: (N, H) forecasts of `windows` in scaled units -> (N·H) levels in original units
  // (ShapeError when the shape is not that of windows.targets).
  std::vector<double> forecast_levels(const Tensor& predictions, const Windows& windows) const;
  // The actual levels the windows forecast, (N·H) row-major.
  std::vector<double> actual_levels(const Windows& windows) const;
  // The level at each window's last input row, (N): what the naive forecast repeats.
  std::vector<double> origin_levels(const Windows& windows) const;
  // Scores of (N·H) forecast levels against actual_levels, MASE scaled by naive_mae.
  Metrics score_levels(std::span<const double> predicted, const Windows& windows) const;
  // score_levels(forecast_levels(predictions, windows), windows).
  Metrics score(const Tensor& predictions, const Windows& windows) const;
};

}  // namespace syn::forecast
