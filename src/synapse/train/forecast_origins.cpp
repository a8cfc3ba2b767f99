#include "synapse/train/forecast_origins.hpp"

#include "synapse/core/error.hpp"

namespace syn::train {

// series: (rows, F) -> inputs: (rows - L + 1, L, F)
ForecastOrigins forecast_origins(const forecast::Series& series, const forecast::Scaler& scaler,
                                 int64_t lookback) {
  const int64_t rows = series.rows(), cols = series.cols();
  SYN_CHECK_T(ValueError, lookback > 0, series.source, ": lookback must be > 0, got ", lookback);
  SYN_CHECK_T(ValueError, rows >= lookback, series.source, ": ", rows, " rows are fewer than the lookback ",
              lookback, " (no forecast origin)");
  SYN_CHECK_T(ValueError, scaler.cols() == cols, series.source, ": ", cols, " columns, the scaler has ",
              scaler.cols());
  std::vector<double> scaled = series.values;
  scaler.transform(scaled);
  const int64_t n = rows - lookback + 1;
  ForecastOrigins out{Tensor::empty(Shape{n, lookback, cols}), lookback - 1};
  float* p = out.inputs.mutable_data();
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < lookback * cols; ++k)
      p[i * lookback * cols + k] = static_cast<float>(scaled[static_cast<size_t>(i * cols + k)]);
  return out;
}

}  // namespace syn::train
