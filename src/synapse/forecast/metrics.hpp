#pragma once
// Metrics: point-forecast errors in original units over every value of every window
// (actual[i] vs predicted[i], i over all N·H values; no window is left out).
//   MAE   = mean |a - p|
//   MSE   = mean (a - p)²          RMSE = √MSE
//   MAPE  = 100 · mean |a - p| / |a|, over the values with |a| > kMapeZeroGuard only: values whose
//           actual is (nearly) zero are skipped and counted in mape_skipped; NaN when all are.
//   sMAPE = 100 · mean 2|a - p| / (|a| + |p|); a term with |a| + |p| = 0 (both zero, a perfect
//           forecast) counts as 0. Range [0, 200].
//   MASE  = MAE / naive_mae, where naive_mae is the in-sample MAE of the naive one-step forecast
//           (y[t] predicted by y[t-1]) on the training series (naive_one_step_mae). NaN when that
//           is 0 (a constant training series).
// Sums run in index order in double precision (deterministic). NaN inputs propagate.
#include <cstdint>
#include <span>

namespace syn::forecast {

inline constexpr double kMapeZeroGuard = 1e-8;

struct Metrics {
  double mae = 0, mse = 0, rmse = 0, mape = 0, smape = 0, mase = 0;
  int64_t count = 0;         // values scored
  int64_t mape_skipped = 0;  // values left out of MAPE (|actual| <= kMapeZeroGuard)
};

// ShapeError when the sizes differ, ValueError when there is nothing to score.
Metrics compute_metrics(std::span<const double> actual, std::span<const double> predicted, double naive_mae);

// mean |y[t] - y[t-1]| for t = 1..n-1; ValueError for fewer than 2 values.
double naive_one_step_mae(std::span<const double> training_series);

}  // namespace syn::forecast
