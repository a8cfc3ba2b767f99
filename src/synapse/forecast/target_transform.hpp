#pragma once
// TargetTransform: what the model forecasts instead of the target's level, for non-stationary series
// (Note [Target transforms]).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "synapse/forecast/series.hpp"

namespace syn::forecast {

// Note [Target transforms]
// none:    the model sees and forecasts the target y itself.
// diff:    it sees and forecasts d[t] = y[t] - y[t-1]; a forecast is y[t0] + cumulative sum.
// logdiff: d[t] = log y[t] - log y[t-1] (relative changes; y must be > 0); a forecast is
//          exp(log y[t0] + cumulative sum).
// A difference needs the row before it, so diff and logdiff drop the first row: transformed row r is
// original row r + 1, with that row's features and timestamp, and levels[r] = y[r + 1] is the target's
// level there. A window whose last input row is r forecasts levels r+1..r+H from levels[r]. Splits,
// windows and the scaler then work on the transformed series as on any other; scores, baselines
// and MASE use the levels (original units), so models with different transforms compare directly.
enum class TargetTransform { none, diff, logdiff };

std::string_view transform_name(TargetTransform t);          // "none" | "diff" | "logdiff"
TargetTransform transform_from_name(std::string_view name);  // ValueError listing them otherwise

struct TransformedSeries {
  Series series;               // what the model sees (column 0 transformed)
  std::vector<double> levels;  // levels[r]: the original target at series row r
  int64_t offset = 0;          // series row r is row r + offset of the original series
};

// ValueError naming the source, the target column and the row for a value <= 0 under logdiff, and
// for fewer than 2 rows under diff or logdiff.
TransformedSeries transform_target(Series original, TargetTransform t);

// forecasts: (N, H) row-major, transformed target values (original units of the transform) -> levels,
// in place; origin_levels: (N), the level at each forecast's last input row.
void invert_forecasts(TargetTransform t, std::span<double> forecasts, int64_t horizon,
                      std::span<const double> origin_levels);

}  // namespace syn::forecast
