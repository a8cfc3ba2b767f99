#include "synapse/forecast/synthetic.hpp"

#include <cmath>
#include <numbers>

#include "synapse/core/error.hpp"
#include "synapse/core/random.hpp"
#include "synapse/forecast/datetime.hpp"

namespace syn::forecast {

Table make_synthetic(const SyntheticOptions& options) {
  const int64_t rows = options.rows;
  SYN_CHECK_T(ValueError, rows >= 1, "make_synthetic: rows ", rows, " must be >= 1");
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  const int64_t start_day = DateTime{2024, 1, 1}.days_since_epoch();
  const int64_t regime_change = rows * 6 / 10;
  Generator temperature_noise(options.seed, 0), demand_noise(options.seed, 1);

  std::vector<double> temperature(static_cast<size_t>(rows)), demand(static_cast<size_t>(rows));
  std::vector<DateTime> times(static_cast<size_t>(rows));
  std::vector<std::string> stamps(static_cast<size_t>(rows));
  double u = 0.0, e = 0.0;
  for (int64_t t = 0; t < rows; ++t) {
    const size_t i = static_cast<size_t>(t);
    DateTime time = DateTime::from_days(start_day + t / 24);
    time.hour = static_cast<int>(t % 24);
    time.has_time = true;
    const double h = time.hour;
    const int weekday = time.day_of_week();

    u = 0.9 * u + 0.5 * temperature_noise.normal();
    e = 0.8 * e + 2.5 * demand_noise.normal();
    temperature[i] = 12.0 + 7.0 * std::sin(kTwoPi * (h - 9.0) / 24.0) + u;

    const bool after = t >= regime_change;
    const double daily =
        12.0 * std::sin(kTwoPi * (h - 6.0) / 24.0) + 5.0 * std::sin(2.0 * kTwoPi * (h - 6.0) / 24.0);
    const double weekly = weekday >= 5 ? -15.0 : weekday == 4 ? -4.0 : 0.0;
    demand[i] = 100.0 + 0.004 * static_cast<double>(t) + (after ? 1.4 : 1.0) * daily + weekly +
                0.8 * (temperature[i] - 12.0) + (after ? 25.0 : 0.0) + e;
    times[i] = time;
    stamps[i] = time.iso();
  }
  Table table("<synthetic>", rows);
  table.add(Column::numeric("temperature", std::move(temperature)));
  table.add(Column::numeric("demand", std::move(demand)));
  table.set_timestamps(std::move(stamps));
  add_calendar_features(table, times, options.dates);
  return table;
}

}  // namespace syn::forecast
