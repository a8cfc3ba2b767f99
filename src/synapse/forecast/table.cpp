#include "synapse/forecast/table.hpp"

#include "synapse/core/error.hpp"

namespace syn::forecast {

Column Column::numeric(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.numbers = std::move(values);
  return c;
}

Column Column::text(std::string name, std::vector<std::string> values) {
  Column c;
  c.name = std::move(name);
  c.kind = ColumnKind::text;
  c.texts = std::move(values);
  return c;
}

int64_t Column::size() const {
  return static_cast<int64_t>(kind == ColumnKind::numeric ? numbers.size() : texts.size());
}

Table::Table(std::string source, int64_t rows) : source_(std::move(source)), rows_(rows) {
  SYN_CHECK_T(ValueError, rows >= 0, "Table: negative row count ", rows, " for ", source_);
}

std::vector<std::string> Table::names() const {
  std::vector<std::string> out;
  for (const Column& c : columns_) out.push_back(c.name);
  return out;
}

bool Table::contains(std::string_view name) const {
  for (const Column& c : columns_)
    if (c.name == name) return true;
  return false;
}

const Column& Table::column(std::string_view name) const {
  for (const Column& c : columns_)
    if (c.name == name) return c;
  throw ValueError(
      detail::concat(source_, ": no column ", detail::excerpt(name), "; available columns: ", describe_columns()));
}

const Column& Table::column(int64_t index) const {
  SYN_CHECK_T(IndexError, index >= 0 && index < cols(), source_, ": column index ", index,
              " is out of range for ", cols(), " columns");
  return columns_[static_cast<size_t>(index)];
}

std::string Table::describe_columns() const {
  if (columns_.empty()) return "(none)";
  std::vector<std::string> names;
  for (const Column& c : columns_) names.push_back(c.kind == ColumnKind::text ? c.name + " (text)" : c.name);
  return detail::clipped_list(names);
}

void Table::add(Column column) {
  SYN_CHECK_T(ValueError, column.size() == rows_, source_, ": column '", column.name, "' has ", column.size(),
              " values, the table has ", rows_, " rows");
  SYN_CHECK_T(ValueError, !contains(column.name), source_, ": duplicate column name '", column.name, "'");
  columns_.push_back(std::move(column));
}

void Table::set_lines(std::vector<int64_t> lines) {
  SYN_CHECK_T(ValueError, lines.empty() || static_cast<int64_t>(lines.size()) == rows_, source_, ": ",
              lines.size(), " line numbers for ", rows_, " rows");
  lines_ = std::move(lines);
}

void Table::set_timestamps(std::vector<std::string> timestamps) {
  SYN_CHECK_T(ValueError, timestamps.empty() || static_cast<int64_t>(timestamps.size()) == rows_, source_,
              ": ", timestamps.size(), " timestamps for ", rows_, " rows");
  timestamps_ = std::move(timestamps);
}

std::string Table::where(int64_t row) const {
  if (row >= 0 && row < static_cast<int64_t>(lines_.size()))
    return detail::concat(source_, " line ", lines_[static_cast<size_t>(row)]);
  return detail::concat(source_, " row ", row);
}

}  // namespace syn::forecast
