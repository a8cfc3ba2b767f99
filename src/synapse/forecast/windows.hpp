#pragma once
// Windows: sliding (lookback, horizon) samples of a scaled series, stride 1, as Tensors.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "synapse/core/tensor.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/forecast/split.hpp"

namespace syn::forecast {

// Note [Window ownership]
// A window belongs to the split that contains its targets: window i of a split targets rows
// t..t+H-1, all inside the split, with t = first_target_row + i. Its lookback rows t-L..t-1 may reach
// back into the previous split (never before row 0): those rows are the known past at forecast time,
// so the first validation and test windows can forecast the split's first rows, as in the usual
// practice (e.g. the Informer/PatchTST data loaders). No window of a split has a target outside it,
// so training windows never see a validation or test target, and a validation window's inputs never
// include a test row. Hence first_target_row = max(split.begin, L), and the split gives
// N = split.end - H - first_target_row + 1 windows, which must be >= 1.

struct WindowSpec {
  int64_t lookback = 0;  // L > 0 input rows
  int64_t horizon = 1;   // H > 0 target rows
};

struct Windows {
  Tensor inputs;                 // (N, L, F): every column of the scaled series, F = series.cols()
  Tensor targets;                // (N, H): column 0 (the target) of the scaled series
  int64_t first_target_row = 0;  // series row of targets[0, 0]; window i starts its targets at +i

  int64_t count() const { return targets.size(0); }
  int64_t lookback() const { return inputs.size(1); }
  int64_t horizon() const { return targets.size(1); }
};

// values: the scaled series, rows x cols row-major, target in column 0.
// ValueError when L or H is not > 0, or when the split gives no window (naming the split, its rows,
// the lookback and the horizon).
Windows make_windows(std::span<const double> values, int64_t cols, RowRange split,
                     std::string_view split_name, WindowSpec spec);

// The targets of every window in original units, (N·H) row-major, read from `target` (the unscaled
// target column, one value per series row) in double precision (metrics are scored against these,
// not against the float32 targets). ValueError naming `source` when the windows do not fit.
std::vector<double> window_targets(std::span<const double> target, std::string_view source,
                                   const Windows& windows);
}  // namespace syn::forecast
