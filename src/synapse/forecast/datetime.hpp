#pragma once
// DateTime: a calendar date with an optional time of day, as read from a CSV cell
// (Note [Date formats]). No time zones: a trailing `Z` is accepted and ignored, every other offset
// is rejected, so the values are taken as wall-clock times.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace syn::forecast {

// Note [Date formats]
// A cell is a date when it matches one of
//   2013-02-08                  ISO date
//   2016-07-01 00:00:00         ISO date, space, time (seconds and a fraction optional)
//   2024-04-24T00:00:00.000Z    ISO date, `T`, time, optional `Z`
//   10/03/2004                  day-first date dd/mm/yyyy (the European order; mm/dd/yyyy is not
//                               recognised, so 03/25/2004 is not a date)
// and is a valid day of the calendar. A cell is a time of day when it matches hh.mm.ss (as in the UCI
// Air Quality file), hh:mm:ss or hh:mm. A time-of-day column is joined to the date column before it.
struct DateTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  double second = 0.0;
  bool has_time = false;  // the cell carried a time of day

  int day_of_week() const;                  // 0 = Monday ... 6 = Sunday
  double hour_of_day() const;               // hour + minute / 60 + second / 3600
  int64_t days_since_epoch() const;         // 1970-01-01 is day 0
  std::string iso() const;                  // "2016-07-01 00:00:00"
  static DateTime from_days(int64_t days);  // midnight of that day
};

struct TimeOfDay {
  int hour = 0;
  int minute = 0;
  double second = 0.0;
};

// The date (with its time, when present) in `cell`, or nothing when it is not a date.
std::optional<DateTime> parse_date(std::string_view cell);
std::optional<TimeOfDay> parse_time_of_day(std::string_view cell);

}  // namespace syn::forecast
