#pragma once
// ForecastData: a Series made ready for a model under a Protocol, in one call: the split, a scaler
// fitted on split.scaler_fit, the windows of each split (Note [Window ownership]) and the MASE scale.
#include <optional>

#include "synapse/core/tensor.hpp"
#include "synapse/forecast/metrics.hpp"
#include "synapse/forecast/protocol.hpp"
#include "synapse/forecast/scaler.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/forecast/split.hpp"
#include "synapse/forecast/windows.hpp"

namespace syn::forecast {

struct ForecastData {
  Series series;  // original units
  Split split;
  Scaler scaler;  // every column of the series; column 0 is the target
  Windows train, test;
  std::optional<Windows> val;  // the early-stopping windows: clean: validation (none when its
                               // fraction is 0); paper: the test windows themselves
  double naive_mae = 0;        // naive one-step MAE of the training target, the MASE scale

  static ForecastData prepare(Series series, const Protocol& protocol, ScalerKind scaler, WindowSpec spec);

  // predictions: (N, H) forecasts of `windows` in scaled units, scored in original units against
  // the unscaled series (ShapeError when the shape is not that of windows.targets).
  Metrics score(const Tensor& predictions, const Windows& windows) const;
};

}  // namespace syn::forecast
