#include "synapse/forecast/metrics.hpp"

#include <cmath>
#include <limits>

#include "synapse/core/error.hpp"

namespace syn::forecast {

// actual: (n)  predicted: (n)
Metrics compute_metrics(std::span<const double> actual, std::span<const double> predicted, double naive_mae) {
  SYN_CHECK_T(ShapeError, actual.size() == predicted.size(), "metrics: ", actual.size(), " actual values vs ",
              predicted.size(), " predictions");
  SYN_CHECK_T(ValueError, !actual.empty(), "metrics: no values to score");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double abs_sum = 0, sq_sum = 0, ape_sum = 0, sape_sum = 0;
  int64_t ape_count = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i], p = predicted[i], e = std::abs(a - p);
    abs_sum += e;
    sq_sum += e * e;
    if (!(std::abs(a) <= kMapeZeroGuard)) {  // NaN actuals are scored (and propagate)
      ape_sum += e / std::abs(a);
      ++ape_count;
    }
    const double denom = std::abs(a) + std::abs(p);
    sape_sum += denom == 0 ? 0.0 : 2.0 * e / denom;
  }
  const double n = static_cast<double>(actual.size());
  Metrics m;
  m.count = static_cast<int64_t>(actual.size());
  m.mape_skipped = m.count - ape_count;
  m.mae = abs_sum / n;
  m.mse = sq_sum / n;
  m.rmse = std::sqrt(m.mse);
  m.mape = ape_count > 0 ? 100.0 * ape_sum / static_cast<double>(ape_count) : nan;
  m.smape = 100.0 * sape_sum / n;
  m.mase = naive_mae > 0 ? m.mae / naive_mae : nan;
  return m;
}

// series: (n)
double naive_one_step_mae(std::span<const double> series) {
  SYN_CHECK_T(ValueError, series.size() >= 2, "naive_one_step_mae: needs at least 2 training values, got ",
              series.size());
  double sum = 0;
  for (size_t t = 1; t < series.size(); ++t) sum += std::abs(series[t] - series[t - 1]);
  return sum / static_cast<double>(series.size() - 1);
}

}  // namespace syn::forecast
