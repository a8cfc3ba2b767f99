#include <doctest/doctest.h>

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/synthetic.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;

namespace {
double mean(const std::vector<double>& v, size_t begin, size_t end) {
  double s = 0;
  for (size_t i = begin; i < end; ++i) s += v[i];
  return s / static_cast<double>(end - begin);
}
}  // namespace

TEST_CASE("synthetic: columns, timestamps and seeded reproducibility") {
  const Table t = make_synthetic();
  CHECK(t.rows() == 24 * 7 * 26);
  CHECK(t.names() == std::vector<std::string>{"temperature", "demand"});
  CHECK(t.source() == "<synthetic>");
  CHECK(t.timestamps()[0] == "2024-01-01 00:00:00");
  CHECK(t.timestamps()[25] == "2024-01-02 01:00:00");
  CHECK(make_synthetic().column("demand").numbers == t.column("demand").numbers);
  SyntheticOptions other;
  other.seed = 7;
  CHECK(make_synthetic(other).column("demand").numbers != t.column("demand").numbers);
  for (double v : t.column("demand").numbers) CHECK(std::isfinite(v));
  SyntheticOptions calendar;
  calendar.rows = 48;
  calendar.dates = DateHandling::calendar_plain;
  const Table c = make_synthetic(calendar);
  CHECK(c.names() == std::vector<std::string>{"temperature", "demand", "hour", "day_of_week", "month"});
  CHECK(c.column("hour").numbers[47] == 23);
  CHECK(c.column("day_of_week").numbers[47] == 1);  // Tuesday 2 January 2024
  CHECK_THROWS_WITH_AS(make_synthetic(SyntheticOptions{0}), Contains("rows 0 must be >= 1"), ValueError);
}

TEST_CASE("synthetic: daily and weekly seasonality, regime change") {
  const Table t = make_synthetic();
  const std::vector<double>& d = t.column("demand").numbers;
  const size_t change = d.size() * 6 / 10;
  // Regime change: the level jumps by about 25 (plus the small trend).
  const double week = 24 * 7;
  const double before = mean(d, change - static_cast<size_t>(2 * week), change);
  const double after = mean(d, change, change + static_cast<size_t>(2 * week));
  CHECK(after - before > 20.0);
  CHECK(after - before < 32.0);
  // Daily cycle: noon is well above 3 am on average; weekends are below weekdays.
  double noon = 0, night = 0, weekday = 0, weekend = 0;
  int days = 0, weekdays = 0, weekends = 0;
  for (size_t day = 0; day < change / 24; ++day) {
    noon += d[day * 24 + 12];
    night += d[day * 24 + 3];
    ++days;
    double total = 0;
    for (size_t h = 0; h < 24; ++h) total += d[day * 24 + h];
    if (day % 7 >= 5) {
      weekend += total / 24;
      ++weekends;
    } else if (day % 7 <= 3) {
      weekday += total / 24;
      ++weekdays;
    }
  }
  CHECK(noon / days - night / days > 15.0);
  CHECK(weekday / weekdays - weekend / weekends > 10.0);
}
