#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/forecast/metrics.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Approx;
using doctest::Contains;

TEST_CASE("metrics: hand-computed values, MAPE skips zero actuals") {
  const std::vector<double> actual = {1, 2, 0, 4}, predicted = {2, 2, 1, 2};
  const double naive = naive_one_step_mae(std::vector<double>{1, 3, 2, 6});
  CHECK(naive == Approx(7.0 / 3.0));  // (2 + 1 + 4) / 3
  const Metrics m = compute_metrics(actual, predicted, naive);
  CHECK(m.count == 4);
  CHECK(m.mae == 1.0);  // (1 + 0 + 1 + 2) / 4
  CHECK(m.mse == 1.5);  // (1 + 0 + 1 + 4) / 4
  CHECK(m.rmse == Approx(std::sqrt(1.5)));
  CHECK(m.mape == Approx(50.0));  // (1/1 + 0/2 + 2/4) / 3, the zero actual skipped
  CHECK(m.mape_skipped == 1);
  CHECK(m.smape == Approx(100.0 * (2.0 / 3 + 0 + 2.0 + 2.0 / 3) / 4));
  CHECK(m.mase == Approx(3.0 / 7.0));
}

TEST_CASE("metrics: guards and NaN propagation") {
  const std::vector<double> zeros = {0, 0};
  const Metrics perfect = compute_metrics(zeros, zeros, 1.0);
  CHECK(perfect.smape == 0.0);  // 0/0 terms count as 0
  CHECK(std::isnan(perfect.mape));
  CHECK(perfect.mape_skipped == 2);
  const Metrics flat = compute_metrics(std::vector<double>{1}, std::vector<double>{2}, 0.0);
  CHECK(std::isnan(flat.mase));  // constant training series
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Metrics bad = compute_metrics(std::vector<double>{1, 2}, std::vector<double>{nan, 2}, 1.0);
  CHECK(std::isnan(bad.mae));
  CHECK(std::isnan(bad.rmse));
  CHECK(std::isnan(bad.mape));
  CHECK(std::isnan(bad.smape));
  CHECK_THROWS_WITH_AS(compute_metrics(std::vector<double>{1, 2}, std::vector<double>{1}, 1.0),
                       Contains("2 actual values vs 1 predictions"), ShapeError);
  CHECK_THROWS_WITH_AS(compute_metrics(std::vector<double>{}, std::vector<double>{}, 1.0),
                       Contains("no values to score"), ValueError);
  CHECK_THROWS_WITH_AS(naive_one_step_mae(std::vector<double>{1}),
                       Contains("needs at least 2 training values, got 1"), ValueError);
}
