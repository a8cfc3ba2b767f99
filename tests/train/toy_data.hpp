#pragma once
// Small, deterministic data for the trainer tests.
#include <cmath>
#include <cstdint>
#include <numbers>

#include "synapse/core/random.hpp"
#include "synapse/forecast/forecast_data.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/nn/model_config.hpp"

namespace syn::testing {

// A daily-cycle series: y[t] = 10 + 3·sin(2πt/24) + N(0, 0.1²), univariate.
inline forecast::Series sine_series(int64_t rows, uint64_t seed = 3) {
  forecast::Series s;
  s.source = "<sine>";
  s.columns = {"y"};
  Generator gen(seed);
  for (int64_t t = 0; t < rows; ++t)
    s.values.push_back(10.0 + 3.0 * std::sin(2.0 * std::numbers::pi * static_cast<double>(t) / 24.0) +
                       0.1 * gen.normal());
  return s;
}

inline nn::ModelConfig linear_config(int64_t lookback, int64_t horizon, int64_t input_size = 1,
                                     uint64_t seed = 0) {
  nn::ModelConfig c;
  c.kind = "linear";
  c.lookback = lookback;
  c.horizon = horizon;
  c.input_size = input_size;
  c.seed = seed;
  return c;
}

}  // namespace syn::testing
