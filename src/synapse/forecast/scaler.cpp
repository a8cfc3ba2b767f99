#include "synapse/forecast/scaler.hpp"

#include <algorithm>
#include <cmath>

#include "synapse/core/error.hpp"

namespace syn::forecast {

Scaler::Scaler(ScalerKind kind) { state_.kind = kind; }

Scaler::Scaler(ScalerState state) : state_(std::move(state)) {
  SYN_CHECK_T(ValueError, state_.offset.size() == state_.scale.size(), "Scaler: state has ",
              state_.offset.size(), " offsets and ", state_.scale.size(), " scales");
  for (size_t c = 0; c < state_.scale.size(); ++c)
    SYN_CHECK_T(ValueError,
                state_.scale[c] > 0 && std::isfinite(state_.scale[c]) && std::isfinite(state_.offset[c]),
                "Scaler: column ", c, " has offset ", state_.offset[c], " and scale ", state_.scale[c],
                " (expected finite values and scale > 0)");
}

void Scaler::fit(std::span<const double> values, int64_t cols, RowRange rows) {
  SYN_CHECK_T(ValueError, cols > 0 && values.size() % static_cast<size_t>(cols) == 0,
              "Scaler::fit: ", values.size(), " values do not form rows of ", cols, " columns");
  const int64_t total = static_cast<int64_t>(values.size()) / cols;
  SYN_CHECK_T(ValueError, rows.begin >= 0 && rows.begin < rows.end && rows.end <= total, "Scaler::fit: rows ",
              rows.begin, "..", rows.end, " are empty or outside the ", total, " rows of the data");
  const auto at = [&](int64_t r, int64_t c) { return values[static_cast<size_t>(r * cols + c)]; };
  const double n = static_cast<double>(rows.size());
  ScalerState state{state_.kind, {}, {}};
  for (int64_t c = 0; c < cols; ++c) {
    double sum = 0.0, low = at(rows.begin, c), high = low;
    for (int64_t r = rows.begin; r < rows.end; ++r) {
      const double v = at(r, c);
      SYN_CHECK_T(ValueError, std::isfinite(v), "Scaler::fit: row ", r, ", column ", c, " is ", v,
                  " (expected a finite value; handle missing values first)");
      sum += v;
      low = std::min(low, v);
      high = std::max(high, v);
    }
    double offset = low, spread = high - low;
    if (state_.kind == ScalerKind::standard) {
      offset = sum / n;
      double squares = 0.0;
      for (int64_t r = rows.begin; r < rows.end; ++r) squares += (at(r, c) - offset) * (at(r, c) - offset);
      spread = std::sqrt(squares / n);
    }
    SYN_CHECK_T(ValueError, std::isfinite(offset) && std::isfinite(spread), "Scaler::fit: column ", c,
                " spans ", low, " to ", high, ", too wide to scale in double precision (its ",
                state_.kind == ScalerKind::standard ? "mean or standard deviation" : "range",
                " overflows); rescale the column");
    state.offset.push_back(offset);
    state.scale.push_back(spread > 0 ? spread : 1.0);
  }
  state_ = std::move(state);
}

void Scaler::check_fitted(std::span<const double> values, const char* what) const {
  SYN_CHECK_T(ValueError, fitted(), "Scaler::", what, ": the scaler is not fitted");
  SYN_CHECK_T(ValueError, values.size() % static_cast<size_t>(cols()) == 0, "Scaler::", what, ": ",
              values.size(), " values do not form rows of the ", cols(), " fitted columns");
}

void Scaler::transform(std::span<double> values) const {
  check_fitted(values, "transform");
  const size_t cols = state_.scale.size();
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = (values[i] - state_.offset[i % cols]) / state_.scale[i % cols];
}

void Scaler::inverse_transform(std::span<double> values) const {
  check_fitted(values, "inverse_transform");
  const size_t cols = state_.scale.size();
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = values[i] * state_.scale[i % cols] + state_.offset[i % cols];
}

double Scaler::inverse(double value, int64_t col) const {
  SYN_CHECK_T(IndexError, col >= 0 && col < cols(), "Scaler::inverse: column ", col, " is out of range for ",
              cols(), " fitted columns");
  return value * state_.scale[static_cast<size_t>(col)] + state_.offset[static_cast<size_t>(col)];
}

std::string_view scaler_name(ScalerKind kind) { return kind == ScalerKind::standard ? "standard" : "minmax"; }

ScalerKind scaler_from_name(std::string_view name) {
  if (name == "standard") return ScalerKind::standard;
  if (name == "minmax" || name == "min_max") return ScalerKind::min_max;
  throw ValueError(detail::concat("scaler: unknown scaler '", name, "' (expected standard or minmax)"));
}

}  // namespace syn::forecast
