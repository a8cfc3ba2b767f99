#pragma once
// Selection: which columns of a Table a forecast uses, and what to do with their missing values.
#include <string>
#include <vector>

#include "synapse/forecast/series.hpp"
#include "synapse/forecast/table.hpp"

namespace syn::forecast {

enum class MissingPolicy {
  fail,          // a missing value is an error naming the file, the column and the line
  drop_rows,     // rows with a missing value in any selected column are removed
  forward_fill,  // a missing value takes the last value above it in its column; leading rows that
                 // have nothing above them are removed
};

struct Selection {
  std::string target;
  // Extra input columns. Empty: univariate (the target alone). Listing the target is allowed and
  // changes nothing: it is always input column 0.
  std::vector<std::string> features;
  MissingPolicy missing = MissingPolicy::fail;
};

// The target and features of `table` as a Series. ValueError for an unknown column (listing the
// available ones), a text column, a feature listed twice, a missing value under `fail`, or no row left.
// Missing values in columns that are not selected do not matter.
Series select_series(const Table& table, const Selection& selection);

// The names of the numeric columns of `table` (the usual "every feature" list).
std::vector<std::string> numeric_columns(const Table& table);

}  // namespace syn::forecast
