#include "synapse/forecast/selection.hpp"

#include <cmath>
#include <limits>

#include "synapse/core/error.hpp"

namespace syn::forecast {
namespace {

const Column& numeric_column(const Table& table, const std::string& name, const char* role) {
  SYN_CHECK_T(ValueError, table.contains(name), "select: no ", role, " column ", detail::excerpt(name), " in ",
              table.source(), "; available columns: ", table.describe_columns());
  const Column& column = table.column(name);
  SYN_CHECK_T(ValueError, column.kind == ColumnKind::numeric, "select: the ", role, " column ", detail::excerpt(name),
              " of ", table.source(), " is text, not numeric");
  return column;
}

}  // namespace

Series select_series(const Table& table, const Selection& selection) {
  SYN_CHECK_T(ValueError, !selection.target.empty(), "select: no target column given for ", table.source(),
              "; available columns: ", table.describe_columns());
  std::vector<const Column*> columns{&numeric_column(table, selection.target, "target")};
  for (const std::string& name : selection.features) {
    if (name == selection.target) continue;
    for (const Column* c : columns)
      SYN_CHECK_T(ValueError, c->name != name, "select: feature ", detail::excerpt(name), " is listed twice");
    columns.push_back(&numeric_column(table, name, "feature"));
  }

  Series series;
  series.source = table.source();
  for (const Column* c : columns) series.columns.push_back(c->name);
  const size_t cols = columns.size();
  std::vector<double> last(
      cols, std::numeric_limits<double>::quiet_NaN());  // forward fill: the last value seen per column
  for (int64_t r = 0; r < table.rows(); ++r) {
    const size_t row = static_cast<size_t>(r);
    std::vector<double> values(cols);
    bool complete = true;
    for (size_t c = 0; c < cols; ++c) {
      double v = columns[c]->numbers[row];
      if (std::isnan(v)) {
        SYN_CHECK_T(ValueError, selection.missing != MissingPolicy::fail, "select: ", table.where(r),
                    ": missing value in column '", columns[c]->name,
                    "' (--missing fail; give --missing drop or --missing ffill, or fix the data)");
        if (selection.missing == MissingPolicy::forward_fill) v = last[c];
      }
      last[c] = v;
      complete = complete && !std::isnan(v);
      values[c] = v;
    }
    if (!complete) continue;
    series.values.insert(series.values.end(), values.begin(), values.end());
    if (!table.timestamps().empty()) series.timestamps.push_back(table.timestamps()[row]);
  }
  SYN_CHECK_T(ValueError, !series.values.empty(), "select: no row of ", table.source(),
              " is left after removing missing values of ", series.columns.front(),
              cols > 1 ? " and its features" : "");
  return series;
}

std::vector<std::string> numeric_columns(const Table& table) {
  std::vector<std::string> out;
  for (int64_t i = 0; i < table.cols(); ++i)
    if (table.column(i).kind == ColumnKind::numeric) out.push_back(table.column(i).name);
  return out;
}

}  // namespace syn::forecast
