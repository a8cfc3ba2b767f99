#pragma once
// Scaler: per-column affine scaling x' = (x - offset[c]) / scale[c], fitted on some rows.
//   standard: offset = mean, scale = population standard deviation (ddof 0, as scikit-learn)
//   min_max:  offset = min,  scale = max - min (maps the fitted rows onto [0, 1])
// A constant column gets scale 1 (it is only shifted), so transform never divides by zero.
// Data is row-major rows x cols doubles (a Series' values). Fitting is sequential and in index order,
// so the state is deterministic.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "synapse/forecast/split.hpp"

namespace syn::forecast {

enum class ScalerKind { standard, min_max };

// Everything a fitted scaler is: save these vectors, rebuild with Scaler(state).
struct ScalerState {
  ScalerKind kind = ScalerKind::standard;
  std::vector<double> offset;  // one per column
  std::vector<double> scale;   // one per column, > 0
};

class Scaler {
 public:
  explicit Scaler(ScalerKind kind = ScalerKind::standard);
  // Rebuilds a fitted scaler; ValueError when the vectors differ in size or a scale is not > 0.
  explicit Scaler(ScalerState state);

  // Fits on rows [rows.begin, rows.end) of `values` (rows x cols). ValueError for no rows or a
  // non-finite value (naming its row and column).
  void fit(std::span<const double> values, int64_t cols, RowRange rows);
  // In place on every row of `values` (rows x cols(), cols must match the fit).
  void transform(std::span<double> values) const;
  void inverse_transform(std::span<double> values) const;
  // One value of column `col`, back to original units.
  double inverse(double value, int64_t col) const;

  bool fitted() const { return !state_.scale.empty(); }
  int64_t cols() const { return static_cast<int64_t>(state_.scale.size()); }
  const ScalerState& state() const { return state_; }

 private:
  void check_fitted(std::span<const double> values, const char* what) const;
  ScalerState state_;
};

// "standard" / "minmax"; from_name also accepts "min_max", ValueError listing them otherwise.
std::string_view scaler_name(ScalerKind kind);
ScalerKind scaler_from_name(std::string_view name);

}  // namespace syn::forecast
