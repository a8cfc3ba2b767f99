#include <doctest/doctest.h>

#include "synapse/core/error.hpp"
#include "synapse/forecast/forecast_data.hpp"
#include "synapse/forecast/selection.hpp"
#include "synapse/forecast/synthetic.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Approx;
using doctest::Contains;

namespace {
Series synthetic_series(int64_t rows) {
  SyntheticOptions options;
  options.rows = rows;
  return select_series(make_synthetic(options), {"demand", {"temperature"}, MissingPolicy::fail});
}
}  // namespace

TEST_CASE("forecast data: clean protocol fits the scaler on train only, windows per split") {
  const Series series = synthetic_series(1000);
  ForecastData d = ForecastData::prepare(series, Protocol::clean(), ScalerKind::standard, WindowSpec{24, 6});
  CHECK(d.split.train == RowRange{0, 700});
  double mean = 0;
  for (int64_t r = 0; r < 700; ++r) mean += series.at(r, 0);
  CHECK(d.scaler.state().offset[0] == Approx(mean / 700).epsilon(1e-12));
  CHECK(d.train.count() == 700 - 24 - 6 + 1);
  REQUIRE(d.val.has_value());
  CHECK(d.val->count() == 100 - 6 + 1);
  CHECK(d.test.count() == 200 - 6 + 1);
  CHECK(d.test.inputs.shape() == Shape{195, 24, 2});
  // The scaled inputs hold the scaled values of both columns.
  const double scaled = (series.at(800 - 24, 1) - d.scaler.state().offset[1]) / d.scaler.state().scale[1];
  CHECK(d.test.inputs.at({0, 0, 1}) == Approx(static_cast<float>(scaled)));
  std::vector<double> train_target;
  for (int64_t r = 0; r < 700; ++r) train_target.push_back(series.at(r, 0));
  CHECK(d.naive_mae == naive_one_step_mae(train_target));
}

TEST_CASE("forecast data: paper protocol, scaler on every row, early stopping on the test windows") {
  const Series series = synthetic_series(500);
  ForecastData d = ForecastData::prepare(series, Protocol::paper(), ScalerKind::min_max, WindowSpec{10, 1});
  double low = series.at(0, 0);
  for (int64_t r = 0; r < 500; ++r) low = std::min(low, series.at(r, 0));
  CHECK(d.scaler.state().offset[0] == low);
  REQUIRE(d.val.has_value());
  CHECK(d.val->targets.same(d.test.targets));
  CHECK(d.test.first_target_row == 400);
}

TEST_CASE("forecast data: scoring the exact targets gives zero error, shapes are checked") {
  ForecastData d = ForecastData::prepare(synthetic_series(400), Protocol::clean(), ScalerKind::standard,
                                         WindowSpec{12, 3});
  const Metrics exact = d.score(d.test.targets, d.test);
  CHECK(exact.count == d.test.count() * 3);
  CHECK(exact.mae < 1e-4);  // float32 rounding of the scaled targets only
  // A forecast that is off by one scaled unit is off by the target's scale in original units.
  Tensor shifted = d.test.targets.clone();
  for (int64_t i = 0; i < shifted.numel(); ++i) shifted.mutable_data()[i] += 1.f;
  CHECK(d.score(shifted, d.test).mae == Approx(d.scaler.state().scale[0]).epsilon(1e-5));
  CHECK_THROWS_WITH_AS(d.score(Tensor::zeros(Shape{2, 3}), d.test),
                       Contains("score: predictions (2, 3) vs window targets"), ShapeError);
  CHECK_THROWS_WITH_AS(ForecastData::prepare(synthetic_series(100), Protocol::clean(), ScalerKind::standard,
                                             WindowSpec{72, 24}),
                       Contains("the train split has 70 rows"), ValueError);
}
