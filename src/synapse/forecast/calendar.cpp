#include "synapse/forecast/calendar.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "synapse/core/error.hpp"

namespace syn::forecast {
namespace {

void add_feature(Table& table, const std::string& name, const std::vector<double>& values, double period,
                 DateHandling handling) {
  if (handling == DateHandling::calendar_plain) {
    table.add(Column::numeric(name, values));
    return;
  }
  std::vector<double> sines(values.size()), cosines(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    const double angle = 2.0 * std::numbers::pi * values[i] / period;
    sines[i] = std::sin(angle);
    cosines[i] = std::cos(angle);
  }
  table.add(Column::numeric(name + "_sin", std::move(sines)));
  table.add(Column::numeric(name + "_cos", std::move(cosines)));
}

}  // namespace

void add_calendar_features(Table& table, const std::vector<DateTime>& times, DateHandling handling) {
  if (handling == DateHandling::drop) return;
  SYN_CHECK_T(ValueError, static_cast<int64_t>(times.size()) == table.rows(),
              "calendar features: ", times.size(), " timestamps for ", table.rows(), " rows of ",
              table.source());
  std::vector<double> hour(times.size()), day_of_week(times.size()), month(times.size());
  bool hour_varies = false;
  for (size_t i = 0; i < times.size(); ++i) {
    hour[i] = times[i].hour_of_day();
    day_of_week[i] = times[i].day_of_week();
    month[i] = times[i].month;
    hour_varies = hour_varies || hour[i] != hour[0];
  }
  const bool cyclic = handling == DateHandling::calendar_cyclic;
  if (cyclic)
    for (double& m : month) m -= 1.0;  // January at angle 0
  if (hour_varies) add_feature(table, "hour", hour, 24.0, handling);
  add_feature(table, "day_of_week", day_of_week, 7.0, handling);
  add_feature(table, "month", month, 12.0, handling);
}

}  // namespace syn::forecast
