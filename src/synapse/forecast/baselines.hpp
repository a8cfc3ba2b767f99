#pragma once
// Baseline forecasts every model score is reported beside, as levels in original units over the
// same windows (ForecastData::actual_levels), so that "MAE 1992" can be read against "naive 59".
#include <cstdint>
#include <string>
#include <vector>

#include "synapse/forecast/forecast_data.hpp"

namespace syn::forecast {

// windows: N windows of horizon H -> (N·H): every step repeats the level at the window's last input
// row (the "last value" or random-walk forecast).
std::vector<double> naive_forecasts(const ForecastData& d, const Windows& windows);

// windows -> (N·H): step k (0-based) of a window whose targets start at row t repeats the level at
// row t + k - m·(k / m + 1), the latest row of the same season up to the window's last input row.
// ValueError when the first window has no such row (first_target_row < season) or season < 2.
std::vector<double> seasonal_naive_forecasts(const ForecastData& d, const Windows& windows, int64_t season);

// The usual season of a series from the median spacing of its time index: 15 minutes 96,
// 30 minutes 48, hourly 24, daily 7 (5 when no date falls on a weekend), weekly 52, monthly 12,
// quarterly 4; 0 without timestamps or for any other spacing. `frequency` gets its name ("hourly").
int64_t detect_season(const Series& series, std::string* frequency = nullptr);

}  // namespace syn::forecast
