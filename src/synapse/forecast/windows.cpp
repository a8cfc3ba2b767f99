#include "synapse/forecast/windows.hpp"

#include <algorithm>

#include "synapse/core/error.hpp"

namespace syn::forecast {

// x: (rows, F) scaled series  inputs: (N, L, F)  targets: (N, H)
Windows make_windows(std::span<const double> values, int64_t cols, RowRange split,
                     std::string_view split_name, WindowSpec spec) {
  const int64_t L = spec.lookback, H = spec.horizon;
  SYN_CHECK_T(ValueError, L > 0 && H > 0, "windows: lookback ", L, " and horizon ", H, " must both be > 0");
  SYN_CHECK_T(ValueError, cols > 0 && values.size() % static_cast<size_t>(cols) == 0,
              "windows: ", values.size(), " values do not form rows of ", cols, " columns");
  const int64_t rows = static_cast<int64_t>(values.size()) / cols;
  SYN_CHECK_T(ValueError, 0 <= split.begin && split.begin <= split.end && split.end <= rows,
              "windows: split '", split_name, "' rows ", split.begin, "..", split.end, " lie outside the ",
              rows, " rows of the series");
  const int64_t first = std::max(split.begin, L);
  const int64_t count = split.end - H - first + 1;
  if (count < 1) {
    throw ValueError(detail::concat(
        "windows: the ", split_name, " split has ", split.size(), " rows (", split.begin, "..", split.end - 1,
        ") and gives no window for lookback ", L, " and horizon ", H,
        split.begin == 0
            ? detail::concat(": it needs at least lookback + horizon = ", L + H, " rows")
            : detail::concat(": it needs at least horizon = ", H, " rows, and lookback + horizon = ", L + H,
                             " rows from the start of the series up to its end")));
  }
  Windows w;
  w.first_target_row = first;
  w.inputs = Tensor::empty(Shape{count, L, cols});
  w.targets = Tensor::empty(Shape{count, H});
  float* x = w.inputs.mutable_data();
  float* y = w.targets.mutable_data();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t t = first + i;
    const double* past = values.data() + (t - L) * cols;
    for (int64_t k = 0; k < L * cols; ++k) x[i * L * cols + k] = static_cast<float>(past[k]);
    for (int64_t h = 0; h < H; ++h)
      y[i * H + h] = static_cast<float>(values[static_cast<size_t>((t + h) * cols)]);
  }
  return w;
}

// target: (rows) -> (N·H)
std::vector<double> window_targets(std::span<const double> target, std::string_view source,
                                   const Windows& windows) {
  const int64_t N = windows.count(), H = windows.horizon(), rows = static_cast<int64_t>(target.size());
  SYN_CHECK_T(ValueError, windows.first_target_row + N - 1 + H <= rows, "window_targets: ", N,
              " windows of horizon ", H, " from row ", windows.first_target_row, " do not fit the ", rows,
              " rows of ", source);
  std::vector<double> out(static_cast<size_t>(N * H));
  for (int64_t i = 0; i < N; ++i)
    for (int64_t h = 0; h < H; ++h)
      out[static_cast<size_t>(i * H + h)] = target[static_cast<size_t>(windows.first_target_row + i + h)];
  return out;
}

}  // namespace syn::forecast
