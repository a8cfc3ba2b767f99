#pragma once
// Forecast origins: the model inputs for forecasting from every row of a series that has a full
// lookback behind it — including the last row, whose future is not in the data (unlike Windows,
// which need their targets).
#include <cstdint>

#include "synapse/core/tensor.hpp"
#include "synapse/forecast/scaler.hpp"
#include "synapse/forecast/series.hpp"

namespace syn::train {

struct ForecastOrigins {
  Tensor inputs;          // (N, L, F) scaled: origin i sees rows first_row + i - L + 1 .. first_row + i
  int64_t first_row = 0;  // the series row of origin 0 (= L - 1); origin i forecasts rows > first_row + i
  int64_t count() const { return inputs.size(0); }
};

// N = rows - L + 1 origins. ValueError naming the source when rows < L, L <= 0 or the scaler's
// columns differ from the series'.
ForecastOrigins forecast_origins(const forecast::Series& series, const forecast::Scaler& scaler,
                                 int64_t lookback);

}  // namespace syn::train
