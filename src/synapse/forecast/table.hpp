#pragma once
// Table: named columns of doubles or strings with the same number of rows, plus per-row metadata
// (the source line of each row and its timestamp text) so that later steps can name the file and
// line of a bad value. Produced by read_csv and make_synthetic; consumed by select_series.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace syn::forecast {

enum class ColumnKind { numeric, text };

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::numeric;
  std::vector<double> numbers;     // numeric: one per row, NaN marks a missing value
  std::vector<std::string> texts;  // text: one per row

  static Column numeric(std::string name, std::vector<double> values);
  static Column text(std::string name, std::vector<std::string> values);
  int64_t size() const;
};

class Table {
 public:
  // `source` names the origin in messages: a file path, "<string>", "<synthetic>".
  Table(std::string source, int64_t rows);

  const std::string& source() const { return source_; }
  int64_t rows() const { return rows_; }
  int64_t cols() const { return static_cast<int64_t>(columns_.size()); }
  std::vector<std::string> names() const;
  bool contains(std::string_view name) const;
  // ValueError naming the source and listing the available columns when `name` is unknown.
  const Column& column(std::string_view name) const;
  const Column& column(int64_t index) const;  // IndexError when out of range
  // "open, high, close, Name (text)": the available columns, for error messages.
  std::string describe_columns() const;

  // Appends a column; it must have rows() values and a name not used yet.
  void add(Column column);

  // Row metadata: each is empty or has one entry per row.
  void set_lines(std::vector<int64_t> lines);
  void set_timestamps(std::vector<std::string> timestamps);
  const std::vector<int64_t>& lines() const { return lines_; }
  const std::vector<std::string>& timestamps() const { return timestamps_; }
  // "data.csv line 12" when lines are known, else "<synthetic> row 11" (0-based row).
  std::string where(int64_t row) const;

 private:
  std::string source_;
  int64_t rows_;
  std::vector<Column> columns_;
  std::vector<int64_t> lines_;
  std::vector<std::string> timestamps_;
};

}  // namespace syn::forecast
