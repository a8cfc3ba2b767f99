#pragma once
// Calendar features from timestamps (Note [Calendar features]).
#include <vector>

#include "synapse/forecast/datetime.hpp"
#include "synapse/forecast/table.hpp"

namespace syn::forecast {

// What read_csv (and make_synthetic) do with date/time columns.
enum class DateHandling {
  drop,             // no columns; the text stays available as the table's timestamps
  calendar_cyclic,  // hour_sin, hour_cos, day_of_week_sin, ..., month_cos
  calendar_plain,   // hour, day_of_week, month
};

// Note [Calendar features]
// From the time index (the first date column, joined with its time-of-day column):
//   hour         hour of day + minutes/60 + seconds/3600, in [0, 24)
//   day_of_week  0 = Monday ... 6 = Sunday
//   month        1 ... 12
// `calendar_plain` adds these three columns as they are. `calendar_cyclic` adds a sin/cos pair for
// each, on its period: sin(2π·hour/24), sin(2π·day_of_week/7), sin(2π·(month − 1)/12) (and cos), so
// that 23h is next to 0h and December next to January. The hour features are left out when every
// timestamp has the same time of day (daily data), where they would be constant.
void add_calendar_features(Table& table, const std::vector<DateTime>& times, DateHandling handling);

}  // namespace syn::forecast
