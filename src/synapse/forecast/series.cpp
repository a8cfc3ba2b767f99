#include "synapse/forecast/series.hpp"

#include "synapse/core/error.hpp"

namespace syn::forecast {

std::vector<double> Series::column(int64_t col) const {
  SYN_CHECK_T(IndexError, col >= 0 && col < cols(), "Series::column: column ", col, " is out of range for ",
              cols(), " columns of ", source);
  std::vector<double> out(static_cast<size_t>(rows()));
  for (int64_t r = 0; r < rows(); ++r) out[static_cast<size_t>(r)] = at(r, col);
  return out;
}

}  // namespace syn::forecast
