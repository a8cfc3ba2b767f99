#pragma once
// Series: the columns a forecast uses, as a dense row-major matrix of doubles in original units.
// Column 0 is always the target; the others are the extra input features. No missing values
// (select_series applied the missing-value policy).
#include <cstdint>
#include <string>
#include <vector>

namespace syn::forecast {

struct Series {
  std::string source;                   // where the rows came from, for messages
  std::vector<std::string> columns;     // columns[0] is the target
  std::vector<double> values;           // rows() x cols(), row-major
  std::vector<std::string> timestamps;  // one per row, or empty

  int64_t cols() const { return static_cast<int64_t>(columns.size()); }
  int64_t rows() const { return columns.empty() ? 0 : static_cast<int64_t>(values.size()) / cols(); }
  double at(int64_t row, int64_t col) const { return values[static_cast<size_t>(row * cols() + col)]; }
  std::vector<double> column(int64_t col) const;  // one column, all rows
};

}  // namespace syn::forecast
