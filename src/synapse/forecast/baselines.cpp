#include "synapse/forecast/baselines.hpp"

#include <algorithm>
#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/datetime.hpp"

namespace syn::forecast {

// windows: (N, H) -> (N·H)
std::vector<double> naive_forecasts(const ForecastData& d, const Windows& windows) {
  const std::vector<double> origins = d.origin_levels(windows);
  const size_t h = static_cast<size_t>(windows.horizon());
  std::vector<double> out(origins.size() * h);
  for (size_t i = 0; i < out.size(); ++i) out[i] = origins[i / h];
  return out;
}

// windows: (N, H) -> (N·H)
std::vector<double> seasonal_naive_forecasts(const ForecastData& d, const Windows& windows, int64_t season) {
  SYN_CHECK_T(ValueError, season >= 2, "seasonal naive forecast: season ", season, " must be >= 2");
  SYN_CHECK_T(ValueError, windows.first_target_row >= season, "seasonal naive forecast: season ", season,
              " reaches before the first row for the window starting at row ", windows.first_target_row);
  const int64_t n = windows.count(), h = windows.horizon();
  std::vector<double> out(static_cast<size_t>(n * h));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < h; ++k) {
      const int64_t row = windows.first_target_row + i + k - season * (k / season + 1);
      out[static_cast<size_t>(i * h + k)] = d.levels.at(static_cast<size_t>(row));
    }
  return out;
}

int64_t detect_season(const Series& series, std::string* frequency) {
  constexpr size_t kSample = 201;  // timestamps looked at, from the start
  std::vector<double> seconds;
  bool weekend = false;
  for (size_t i = 0; i < std::min(series.timestamps.size(), kSample); ++i) {
    const auto t = parse_date(series.timestamps[i]);
    if (!t) return 0;
    weekend = weekend || t->day_of_week() >= 5;
    seconds.push_back(static_cast<double>(t->days_since_epoch()) * 86400.0 + t->hour_of_day() * 3600.0);
  }
  if (seconds.size() < 3) return 0;
  std::vector<double> steps;
  for (size_t i = 1; i < seconds.size(); ++i) steps.push_back(seconds[i] - seconds[i - 1]);
  std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2), steps.end());
  const double step = steps[steps.size() / 2], day = 86400.0;
  struct Frequency {
    const char* name;
    double low, high;  // seconds
    int64_t season;
  };
  const Frequency known[] = {{"15-minute", 900, 900, 96},   {"half-hourly", 1800, 1800, 48},
                             {"hourly", 3600, 3600, 24},    {"daily", day, day, weekend ? 7 : 5},
                             {"weekly", 7 * day, 7 * day, 52}, {"monthly", 28 * day, 31 * day, 12},
                             {"quarterly", 89 * day, 92 * day, 4}};
  for (const Frequency& f : known)
    if (step >= f.low - 1 && step <= f.high + 1) {
      if (frequency) *frequency = f.name;
      return f.season;
    }
  return 0;
}

}  // namespace syn::forecast
