#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "synapse/core/error.hpp"
#include "synapse/core/random.hpp"
#include "synapse/forecast/scaler.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Approx;
using doctest::Contains;

TEST_CASE("scaler: standard uses the mean and population std of the fitted rows") {
  // Two columns; rows 0..3 are fitted, row 4 is not.
  std::vector<double> v = {1, 10, 2, 10, 3, 10, 6, 10, 100, -5};
  Scaler s(ScalerKind::standard);
  s.fit(v, 2, RowRange{0, 4});
  CHECK(s.fitted());
  CHECK(s.cols() == 2);
  CHECK(s.state().offset == std::vector<double>{3.0, 10.0});
  CHECK(s.state().scale[0] == Approx(std::sqrt(3.5)));  // ((−2)² + (−1)² + 0 + 3²) / 4
  CHECK(s.state().scale[1] == 1.0);                     // constant column: shifted only
  std::vector<double> t = v;
  s.transform(t);
  CHECK(t[0] == Approx(-2.0 / std::sqrt(3.5)));
  CHECK(t[1] == 0.0);
  CHECK(t[8] == Approx(97.0 / std::sqrt(3.5)));
  CHECK(t[9] == -15.0);
  CHECK(s.inverse(t[8], 0) == Approx(100.0));
}

TEST_CASE("scaler: min-max maps the fitted rows onto [0, 1]") {
  std::vector<double> v = {2, -1, 4, 1, 6, 3};
  Scaler s(ScalerKind::min_max);
  s.fit(v, 2, RowRange{0, 3});
  CHECK(s.state().offset == std::vector<double>{2, -1});
  CHECK(s.state().scale == std::vector<double>{4, 4});
  s.transform(v);
  CHECK(v == std::vector<double>{0, 0, 0.5, 0.5, 1, 1});
}

TEST_CASE("scaler: round trip and rebuild from the saved state") {
  Generator gen(3);
  std::vector<double> v(300);
  for (size_t i = 0; i < v.size(); ++i) v[i] = 1000.0 * gen.normal() + static_cast<double>(i % 3) * 5e4;
  for (ScalerKind kind : {ScalerKind::standard, ScalerKind::min_max}) {
    Scaler s(kind);
    s.fit(v, 3, RowRange{0, 70});
    std::vector<double> round = v;
    s.transform(round);
    Scaler rebuilt(ScalerState{s.state()});
    rebuilt.inverse_transform(round);
    for (size_t i = 0; i < v.size(); ++i) CHECK(round[i] == Approx(v[i]).epsilon(1e-12));
  }
}

TEST_CASE("scaler: errors name what is wrong") {
  std::vector<double> v = {1, 2, std::numeric_limits<double>::quiet_NaN(), 4};
  Scaler s;
  CHECK_THROWS_WITH_AS(s.fit(v, 2, RowRange{0, 2}), Contains("row 1, column 0 is nan"), ValueError);
  CHECK_THROWS_WITH_AS(s.fit(v, 3, RowRange{0, 1}), Contains("4 values do not form rows of 3 columns"),
                       ValueError);
  CHECK_THROWS_WITH_AS(s.fit(v, 2, RowRange{1, 1}), Contains("rows 1..1 are empty or outside"), ValueError);
  CHECK_THROWS_WITH_AS(s.fit(v, 2, RowRange{0, 3}), Contains("outside the 2 rows"), ValueError);
  std::vector<double> w = {1, 2};
  CHECK_THROWS_WITH_AS(s.transform(w), Contains("the scaler is not fitted"), ValueError);
  s.fit(v, 2, RowRange{0, 1});
  std::vector<double> three = {1, 2, 3};
  CHECK_THROWS_WITH_AS(s.inverse_transform(three), Contains("3 values do not form rows of the 2 fitted"),
                       ValueError);
  CHECK_THROWS_AS(s.inverse(1.0, 2), IndexError);
  CHECK_THROWS_WITH_AS(Scaler(ScalerState{ScalerKind::standard, {0, 0}, {1, 0}}),
                       Contains("column 1 has offset 0 and scale 0"), ValueError);
  CHECK_THROWS_AS(Scaler(ScalerState{ScalerKind::standard, {0}, {1, 2}}), ValueError);
  CHECK(scaler_from_name("minmax") == ScalerKind::min_max);
  CHECK(scaler_name(ScalerKind::standard) == "standard");
  CHECK_THROWS_WITH_AS(scaler_from_name("robust"), Contains("unknown scaler 'robust'"), ValueError);
}
