#include <doctest/doctest.h>

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/baselines.hpp"
#include "synapse/forecast/target_transform.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;

namespace {
Series two_columns(const std::vector<double>& y) {
  Series s;
  s.source = "mem";
  s.columns = {"y", "x"};
  for (size_t i = 0; i < y.size(); ++i) {
    s.values.push_back(y[i]);
    s.values.push_back(10.0 * static_cast<double>(i));
    s.timestamps.push_back(std::to_string(i));
  }
  return s;
}
}  // namespace

TEST_CASE("target transform: diff and logdiff drop the first row, keep the features and invert exactly") {
  const std::vector<double> y = {2, 3, 5, 4, 8};
  const TransformedSeries none = transform_target(two_columns(y), TargetTransform::none);
  CHECK(none.offset == 0);
  CHECK(none.levels == y);
  const TransformedSeries d = transform_target(two_columns(y), TargetTransform::diff);
  CHECK(d.offset == 1);
  CHECK(d.series.rows() == 4);
  CHECK(d.series.column(0) == std::vector<double>{1, 2, -1, 4});
  CHECK(d.series.column(1) == std::vector<double>{10, 20, 30, 40});
  CHECK(d.series.timestamps.front() == "1");
  CHECK(d.levels == std::vector<double>{3, 5, 4, 8});
  // Forecasting rows 2..3 from row 0's level (3) with the true differences gives the true levels.
  std::vector<double> f = {2, -1};
  invert_forecasts(TargetTransform::diff, f, 2, std::vector<double>{3});
  CHECK(f == std::vector<double>{5, 4});

  const TransformedSeries l = transform_target(two_columns(y), TargetTransform::logdiff);
  CHECK(l.series.at(0, 0) == doctest::Approx(std::log(1.5)));
  std::vector<double> g = {l.series.at(1, 0), l.series.at(2, 0), l.series.at(3, 0)};
  invert_forecasts(TargetTransform::logdiff, g, 3, std::vector<double>{3});
  CHECK(g[0] == doctest::Approx(5));
  CHECK(g[2] == doctest::Approx(8));

  CHECK_THROWS_WITH_AS(transform_target(two_columns({1, 0, 2}), TargetTransform::logdiff),
                       Contains("'y' is 0 at series row 2"), ValueError);
  CHECK_THROWS_WITH_AS(transform_from_name("log"), Contains("none, diff or logdiff"), ValueError);
  CHECK(transform_from_name(transform_name(TargetTransform::logdiff)) == TargetTransform::logdiff);
}

TEST_CASE("baselines: naive and seasonal naive forecasts, season detection") {
  std::vector<double> y;
  for (int i = 0; i < 40; ++i) y.push_back(static_cast<double>(i % 4) + 0.1 * i);
  ForecastData d = ForecastData::prepare(two_columns(y), Protocol::clean(0.5, 0.25, 0.25), ScalerKind::standard,
                                         WindowSpec{5, 3});
  const std::vector<double> naive = naive_forecasts(d, d.test);
  const int64_t t = d.test.first_target_row;
  CHECK(naive[0] == y[static_cast<size_t>(t - 1)]);
  CHECK(naive[2] == y[static_cast<size_t>(t - 1)]);
  const std::vector<double> seasonal = seasonal_naive_forecasts(d, d.test, 4);
  for (int k = 0; k < 3; ++k) CHECK(seasonal[static_cast<size_t>(k)] == y[static_cast<size_t>(t + k - 4)]);
  // A season of 2 reaches back 2 rows for steps 0, 1 and 4 for step 2.
  CHECK(seasonal_naive_forecasts(d, d.test, 2)[2] == y[static_cast<size_t>(t + 2 - 4)]);
  CHECK_THROWS_AS(seasonal_naive_forecasts(d, d.test, 1), ValueError);
  CHECK(d.actual_levels(d.test)[0] == y[static_cast<size_t>(t)]);

  Series hourly = two_columns({1, 2, 3, 4});
  hourly.timestamps = {"2024-01-01 00:00:00", "2024-01-01 01:00:00", "2024-01-01 02:00:00", "2024-01-01 03:00:00"};
  std::string frequency;
  CHECK(detect_season(hourly, &frequency) == 24);
  CHECK(frequency == "hourly");
  Series business = hourly;
  business.timestamps = {"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"};  // Monday..Thursday
  CHECK(detect_season(business) == 5);
  Series monthly = hourly;
  monthly.timestamps = {"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"};
  CHECK(detect_season(monthly) == 12);
  CHECK(detect_season(two_columns({1, 2, 3, 4})) == 0);  // no dates
}
