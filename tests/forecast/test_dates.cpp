#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "synapse/core/error.hpp"
#include "synapse/forecast/calendar.hpp"
#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/datetime.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Approx;
using doctest::Contains;

TEST_CASE("dates: the recognised formats") {
  auto iso = parse_date("2024-04-24T13:05:30.250Z");
  REQUIRE(iso);
  CHECK(iso->year == 2024);
  CHECK(iso->month == 4);
  CHECK(iso->day == 24);
  CHECK(iso->hour == 13);
  CHECK(iso->minute == 5);
  CHECK(iso->second == 30.25);
  CHECK(iso->has_time);
  auto plain = parse_date("2013-02-08");
  REQUIRE(plain);
  CHECK(plain->day == 8);
  CHECK_FALSE(plain->has_time);
  auto spaced = parse_date("2016-07-01 23:00:00");
  REQUIRE(spaced);
  CHECK(spaced->hour == 23);
  auto european = parse_date("10/03/2004");
  REQUIRE(european);
  CHECK(european->day == 10);
  CHECK(european->month == 3);
  CHECK(european->year == 2004);
  auto dotted = parse_time_of_day("18.00.00");
  REQUIRE(dotted);
  CHECK(dotted->hour == 18);
  auto colon = parse_time_of_day("07:30");
  REQUIRE(colon);
  CHECK(colon->minute == 30);
  for (const char* bad : {"2013-02-30", "2013-13-01", "31/02/2004", "03/25/2004", "2013-2-8", "2024-04-24X",
                          "2024-04-24T25:00:00", "2024-04-24T10:00+02:00", "20130208", "", "1/1"})
    CHECK_MESSAGE(!parse_date(bad), bad);
  for (const char* bad : {"18.00", "24:00", "12:60", "1800", "18.00.00.0", ""})
    CHECK_MESSAGE(!parse_time_of_day(bad), bad);
  CHECK(parse_date("29/02/2004"));  // leap year
  CHECK_FALSE(parse_date("29/02/2005"));
}

TEST_CASE("dates: day of week, days since epoch and back") {
  CHECK(DateTime{1970, 1, 1}.days_since_epoch() == 0);
  CHECK(DateTime{1970, 1, 1}.day_of_week() == 3);  // Thursday
  CHECK(DateTime{2024, 1, 1}.day_of_week() == 0);  // Monday
  CHECK(DateTime{2016, 7, 1}.day_of_week() == 4);  // Friday
  CHECK(DateTime{1969, 12, 31}.days_since_epoch() == -1);
  for (int64_t days : {-800000, -1, 0, 59, 60, 19000, 2932896}) {
    const DateTime d = DateTime::from_days(days);
    CHECK(d.days_since_epoch() == days);
  }
  const DateTime d = DateTime::from_days(DateTime{2004, 2, 29}.days_since_epoch());
  CHECK(d.iso() == "2004-02-29 00:00:00");
}

TEST_CASE("dates: date columns are dropped by default and kept as timestamps") {
  Table t = parse_csv("date,v\n2013-02-08,1\n2013-02-11,2\n");
  CHECK(t.names() == std::vector<std::string>{"v"});
  CHECK(t.timestamps() == std::vector<std::string>{"2013-02-08", "2013-02-11"});
}

TEST_CASE("dates: a separate time column is joined to the date before it") {
  CsvOptions options;
  options.dates = DateHandling::calendar_plain;
  Table t = parse_csv("Date;Time;v\n10/03/2004;18.00.00;1\n10/03/2004;19.00.00;2\n13/03/2004;06.30.00;3\n",
                      options, "aq.csv");
  CHECK(t.timestamps() ==
        std::vector<std::string>{"10/03/2004 18.00.00", "10/03/2004 19.00.00", "13/03/2004 06.30.00"});
  CHECK(t.names() == std::vector<std::string>{"v", "hour", "day_of_week", "month"});
  CHECK(t.column("hour").numbers == std::vector<double>{18, 19, 6.5});
  CHECK(t.column("day_of_week").numbers == std::vector<double>{2, 2, 5});  // Wednesday, Saturday
  CHECK(t.column("month").numbers == std::vector<double>{3, 3, 3});
}

TEST_CASE("dates: cyclic calendar features, hour left out for daily data") {
  CsvOptions options;
  options.dates = DateHandling::calendar_cyclic;
  Table hourly =
      parse_csv("t,v\n2016-07-01 00:00:00,1\n2016-07-01 06:00:00,2\n2016-12-04 18:00:00,3\n", options);
  CHECK(hourly.names() == std::vector<std::string>{"v", "hour_sin", "hour_cos", "day_of_week_sin",
                                                   "day_of_week_cos", "month_sin", "month_cos"});
  const auto& hs = hourly.column("hour_sin").numbers;
  const auto& hc = hourly.column("hour_cos").numbers;
  CHECK(hs[0] == Approx(0.0));
  CHECK(hc[0] == Approx(1.0));
  CHECK(hs[1] == Approx(1.0));  // 6h is a quarter of the day
  CHECK(hs[2] == Approx(-1.0));
  const double pi = std::numbers::pi;
  CHECK(hourly.column("day_of_week_sin").numbers[0] == Approx(std::sin(2 * pi * 4 / 7)));  // Friday
  CHECK(hourly.column("day_of_week_cos").numbers[2] == Approx(std::cos(2 * pi * 6 / 7)));  // Sunday
  CHECK(hourly.column("month_sin").numbers[0] == Approx(std::sin(2 * pi * 6 / 12)));       // July
  CHECK(hourly.column("month_cos").numbers[2] == Approx(std::cos(2 * pi * 11 / 12)));      // December

  Table daily =
      parse_csv("timeOpen,close\n2024-04-24T00:00:00.000Z,1\n2024-04-25T00:00:00.000Z,2\n", options);
  CHECK(daily.names() ==
        std::vector<std::string>{"close", "day_of_week_sin", "day_of_week_cos", "month_sin", "month_cos"});
}

TEST_CASE("dates: bad or missing timestamps and an orphan time column are errors") {
  CHECK_THROWS_WITH_AS(
      parse_csv("date,v\n2013-02-08,1\n2013-02-31,2\n", {}, "d.csv"),
      Contains("d.csv line 3: column 'date' (column 1) has '2013-02-31' (expected a date like "
               "'2013-02-08' on line 2)"),
      ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("date,v\n2013-02-08,1\n,2\n", {}, "d.csv"),
                       Contains("d.csv line 3: column 'date' (column 1) has no value (expected a timestamp"),
                       ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("Time;v\n18.00.00;1\n", {}, "t.csv"),
                       Contains("t.csv: time-of-day column 'Time' (column 1) has no date column before it"),
                       ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("D;T;v\n10/03/2004;18.00.00;1\n10/03/2004;25.00.00;2\n", {}, "t.csv"),
                       Contains("t.csv line 3: column 'T' (column 2) has '25.00.00' (expected a time of day "
                                "like '18.00.00' on line 2)"),
                       ValueError);
  CHECK_THROWS_WITH_AS(parse_csv("D,T,v\n2004-03-10 10:00,18:00,1\n", {}, "t.csv"),
                       Contains("has a time of day and the file also has the time column 'T'"), ValueError);
  // The second date column is checked too, then dropped.
  CHECK_THROWS_WITH_AS(parse_csv("a,b,v\n2013-02-08,2013-02-08,1\n2013-02-09,oops,2\n", {}, "t.csv"),
                       Contains("t.csv line 3: column 'b' (column 2) has 'oops'"), ValueError);
  Table two = parse_csv("a,b,v\n2013-02-08,2014-01-01,1\n");
  CHECK(two.names() == std::vector<std::string>{"v"});
  CHECK(two.timestamps() == std::vector<std::string>{"2013-02-08"});
}
