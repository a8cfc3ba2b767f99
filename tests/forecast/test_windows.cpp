#include <doctest/doctest.h>

#include "synapse/core/error.hpp"
#include "synapse/forecast/windows.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;

namespace {
// rows x 2 columns: target r, feature 100 + r.
std::vector<double> ramp(int64_t rows) {
  std::vector<double> v;
  for (int64_t r = 0; r < rows; ++r) {
    v.push_back(static_cast<double>(r));
    v.push_back(100.0 + static_cast<double>(r));
  }
  return v;
}
}  // namespace

TEST_CASE("windows: shapes and contents of the training windows") {
  const std::vector<double> v = ramp(20);
  Windows w = make_windows(v, 2, RowRange{0, 14}, "train", WindowSpec{4, 3});
  // Targets t..t+2 inside 0..13 with t >= 4: t = 4..11.
  CHECK(w.inputs.shape() == Shape{8, 4, 2});
  CHECK(w.targets.shape() == Shape{8, 3});
  CHECK(w.count() == 8);
  CHECK(w.lookback() == 4);
  CHECK(w.horizon() == 3);
  CHECK(w.first_target_row == 4);
  CHECK(w.inputs.at({0, 0, 0}) == 0.f);
  CHECK(w.inputs.at({0, 3, 1}) == 103.f);
  CHECK(w.inputs.at({5, 2, 0}) == 7.f);
  CHECK(w.targets.at({0, 0}) == 4.f);
  CHECK(w.targets.at({7, 2}) == 13.f);  // the last target is the last row of the split
}

TEST_CASE("windows: a later split's lookback reaches back, its targets never leave it") {
  const std::vector<double> v = ramp(20);
  Windows val = make_windows(v, 2, RowRange{14, 17}, "validation", WindowSpec{4, 2});
  CHECK(val.first_target_row == 14);
  CHECK(val.count() == 2);                  // targets 14..15 and 15..16
  CHECK(val.inputs.at({0, 0, 0}) == 10.f);  // lookback rows 10..13 are in the training split
  CHECK(val.targets.at({1, 1}) == 16.f);
  Windows test = make_windows(v, 2, RowRange{17, 20}, "test", WindowSpec{4, 2});
  CHECK(test.targets.at({0, 0}) == 17.f);
  // No training window has a target at or after the validation start.
  Windows train = make_windows(v, 2, RowRange{0, 14}, "train", WindowSpec{4, 2});
  const int64_t last_train_target = train.first_target_row + (train.count() - 1) + (train.horizon() - 1);
  CHECK(last_train_target == 13);
  CHECK(train.targets.at({train.count() - 1, 1}) == 13.f);
  // Lookback longer than the split: starts where the series allows.
  Windows deep = make_windows(v, 2, RowRange{14, 20}, "test", WindowSpec{16, 1});
  CHECK(deep.first_target_row == 16);
  CHECK(deep.count() == 4);
}

TEST_CASE("windows: original-unit targets come from the unscaled series") {
  Series s;
  s.source = "mem";
  s.columns = {"y", "x"};
  s.values = ramp(10);
  for (size_t i = 0; i < s.values.size(); i += 2) s.values[i] *= 1000.0;
  std::vector<double> scaled = ramp(10);
  Windows w = make_windows(scaled, 2, RowRange{0, 10}, "train", WindowSpec{3, 2});
  CHECK(window_targets(s.column(0), s.source, w) ==
        std::vector<double>{3000, 4000, 4000, 5000, 5000, 6000, 6000, 7000, 7000, 8000, 8000, 9000});
  Series short_series = s;
  short_series.values.resize(12);
  CHECK_THROWS_WITH_AS(window_targets(short_series.column(0), short_series.source, w), Contains("do not fit the 6 rows of mem"), ValueError);
}

TEST_CASE("windows: errors name the split and the numbers") {
  const std::vector<double> v = ramp(20);
  CHECK_THROWS_WITH_AS(make_windows(v, 2, RowRange{0, 6}, "train", WindowSpec{4, 3}),
                       Contains("the train split has 6 rows (0..5) and gives no window for lookback 4 and "
                                "horizon 3: it needs at least lookback + horizon = 7 rows"),
                       ValueError);
  CHECK_THROWS_WITH_AS(
      make_windows(v, 2, RowRange{18, 20}, "test", WindowSpec{4, 3}),
      Contains("the test split has 2 rows (18..19) and gives no window for lookback 4 and horizon 3"),
      ValueError);
  CHECK_THROWS_WITH_AS(make_windows(v, 2, RowRange{0, 20}, "train", WindowSpec{0, 3}),
                       Contains("lookback 0 and horizon 3 must both be > 0"), ValueError);
  CHECK_THROWS_WITH_AS(make_windows(v, 2, RowRange{0, 20}, "train", WindowSpec{3, -1}),
                       Contains("must both be > 0"), ValueError);
  CHECK_THROWS_WITH_AS(make_windows(v, 2, RowRange{10, 25}, "test", WindowSpec{3, 1}),
                       Contains("split 'test' rows 10..25 lie outside the 20 rows"), ValueError);
  CHECK_THROWS_WITH_AS(make_windows(v, 3, RowRange{0, 5}, "train", WindowSpec{3, 1}),
                       Contains("40 values do not form rows of 3 columns"), ValueError);
}
