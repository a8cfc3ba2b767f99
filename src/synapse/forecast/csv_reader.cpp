#include "synapse/forecast/csv_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/forecast/csv_tokenizer.hpp"
#include "synapse/forecast/datetime.hpp"
#include "synapse/forecast/number.hpp"

namespace syn::forecast {
namespace {

constexpr std::string_view kMissingMarkers[] = {"", "NA", "N/A", "NaN", "nan"};
constexpr std::string_view kMissingList = "empty, NA, N/A, NaN, nan";

bool contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool all_empty(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); });
}

// A date column and, when the file keeps the time of day apart, the time column joined to it.
struct TimeIndex {
  size_t date = 0;
  std::optional<size_t> time;
};

class CsvReader {
 public:
  CsvReader(std::string_view text, const CsvOptions& options, const std::string& source)
      : source_(source), options_(options) {
    text = strip_bom(text, source);
    const char delimiter = options.delimiter ? options.delimiter : detect_delimiter(text, source);
    decimal_comma_ = options.decimal == DecimalSeparator::comma ||
                     (options.decimal == DecimalSeparator::automatic && delimiter == ';');
    std::vector<CsvRecord> records = tokenize_csv(text, delimiter, source);
    SYN_CHECK_T(ValueError, !records.empty(), "read_csv: ", source,
                " is empty (expected a header row and data rows)");
    header_ = std::move(records.front());
    for (size_t r = 1; r < records.size(); ++r) {
      if (all_empty(records[r].fields)) continue;
      SYN_CHECK_T(ValueError, records[r].fields.size() == header_.fields.size(), "read_csv: ", source,
                  " line ", records[r].line, ": ", records[r].fields.size(), " fields, expected ",
                  header_.fields.size(), " as in the header (line ", header_.line, ")");
      rows_.push_back(std::move(records[r]));
    }
    SYN_CHECK_T(ValueError, !rows_.empty(), "read_csv: ", source, " has a header (line ", header_.line,
                ") but no data rows");
    check_header();
  }

  Table read() {
    Table table(source_, static_cast<int64_t>(rows_.size()));
    std::vector<int64_t> lines;
    for (const CsvRecord& row : rows_) lines.push_back(row.line);
    table.set_lines(std::move(lines));
    std::vector<TimeIndex> dates;
    for (size_t j = 0; j < header_.fields.size(); ++j) {
      const std::string& name = header_.fields[j];
      if (contains(options_.ignore, name) || (name.empty() && column_is_empty(j))) continue;
      if (name.empty()) {  // not empty: a cell holds something, if only a missing marker
        const auto filled = std::find_if(rows_.begin(), rows_.end(),
                                         [j](const CsvRecord& r) { return !r.fields[j].empty(); });
        throw ValueError(detail::concat("read_csv: ", source_, ": column ", j + 1,
                                        " has no name in the header (line ", header_.line,
                                        ") but holds values, e.g. on line ", filled->line));
      }
      if (contains(options_.text_columns, name)) {
        table.add(Column::text(name, cells(j)));
        continue;
      }
      const size_t first = first_value(j);
      const std::string_view sample = first < rows_.size() ? cell(first, j) : std::string_view();
      if (first == rows_.size() || parse_number(sample, decimal_comma_)) {
        table.add(Column::numeric(name, numbers(j)));
      } else if (parse_date(sample)) {
        dates.push_back(TimeIndex{j, std::nullopt});
      } else if (parse_time_of_day(sample)) {
        join_time(dates, j);
      } else {
        throw ValueError(
            detail::concat("read_csv: ", source_, ": column ", label(j), " holds text, e.g. ", detail::excerpt(sample),
                           " on line ", rows_[first].line,
                           " (expected numbers, dates or times); skip it with --ignore ",
                           detail::clipped(header_.fields[j])));
      }
    }
    if (!dates.empty()) {
      std::vector<DateTime> times = time_index(dates.front());
      for (size_t d = 1; d < dates.size(); ++d) time_index(dates[d]);  // checked, then dropped
      table.set_timestamps(timestamp_texts(dates.front()));
      add_calendar_features(table, times, options_.dates);
    }
    return table;
  }

 private:
  std::string_view cell(size_t row, size_t col) const { return rows_[row].fields[col]; }

  std::string label(size_t col) const {
    return detail::concat(detail::excerpt(header_.fields[col]), " (column ", col + 1, ")");
  }

  std::string where(size_t row, size_t col) const {
    return detail::concat("read_csv: ", source_, " line ", rows_[row].line, ": column ", label(col));
  }

  bool is_missing(std::string_view value) const {
    return std::find(std::begin(kMissingMarkers), std::end(kMissingMarkers), value) !=
               std::end(kMissingMarkers) ||
           contains(options_.missing_markers, value);
  }

  bool column_is_empty(size_t col) const {
    return std::all_of(rows_.begin(), rows_.end(),
                       [col](const CsvRecord& r) { return r.fields[col].empty(); });
  }

  // The first row whose cell in `col` is not a missing marker (rows_.size() when there is none).
  size_t first_value(size_t col) const {
    size_t r = 0;
    while (r < rows_.size() && is_missing(cell(r, col))) ++r;
    return r;
  }

  void check_header() const {
    const std::vector<std::string>& names = header_.fields;
    for (size_t j = 0; j < names.size(); ++j)
      for (size_t k = 0; k < j; ++k)
        SYN_CHECK_T(ValueError, names[j].empty() || names[j] != names[k], "read_csv: ", source_, " line ",
                    header_.line, ": duplicate column name ", detail::excerpt(names[j]), " (columns ", k + 1, " and ", j + 1,
                    ")");
    for (const auto* list : {&options_.ignore, &options_.text_columns})
      for (const std::string& name : *list)
        SYN_CHECK_T(ValueError, !name.empty() && contains(names, name), "read_csv: ", source_,
                    ": no column ", detail::excerpt(name), " to ", list == &options_.ignore ? "ignore" : "keep as text",
                    "; the header has: ", header_names());
  }

  std::string header_names() const {
    std::vector<std::string> names;
    for (const std::string& name : header_.fields)
      if (!name.empty()) names.push_back(name);
    return detail::clipped_list(names);
  }

  std::vector<std::string> cells(size_t col) const {
    std::vector<std::string> out;
    for (const CsvRecord& row : rows_) out.push_back(row.fields[col]);
    return out;
  }

  std::vector<double> numbers(size_t col) const {
    std::vector<double> out(rows_.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t r = 0; r < rows_.size(); ++r) {
      const std::string_view value = cell(r, col);
      if (is_missing(value)) continue;
      const std::optional<double> number = parse_number(value, decimal_comma_);
      SYN_CHECK_T(ValueError, number.has_value(), where(r, col), " has ", detail::excerpt(value), " (expected a number",
                  decimal_comma_ ? " with a decimal comma" : "",
                  " like the rest of the column, or a missing marker: ", kMissingList, ")");
      if (!contains_value(*number)) out[r] = *number;
    }
    return out;
  }

  bool contains_value(double value) const {
    return std::find(options_.missing_values.begin(), options_.missing_values.end(), value) !=
           options_.missing_values.end();
  }

  void join_time(std::vector<TimeIndex>& dates, size_t col) const {
    SYN_CHECK_T(ValueError, !dates.empty() && !dates.back().time, "read_csv: ", source_,
                ": time-of-day column ", label(col),
                " has no date column before it to join (expected a date column such as dd/mm/yyyy "
                "right before it)");
    dates.back().time = col;
  }

  // The cell of the date (or time) column at `row`, checked: a row must have its timestamp.
  std::string_view timestamp_cell(size_t row, size_t col, size_t sample_row) const {
    const std::string_view value = cell(row, col);
    SYN_CHECK_T(ValueError, !is_missing(value), where(row, col), " has no value (expected a ",
                "timestamp like ", detail::excerpt(cell(sample_row, col)), " on line ", rows_[sample_row].line, ")");
    return value;
  }

  std::vector<DateTime> time_index(const TimeIndex& index) const {
    const size_t date_sample = first_value(index.date);
    std::vector<DateTime> times;
    for (size_t r = 0; r < rows_.size(); ++r) {
      const std::string_view text = timestamp_cell(r, index.date, date_sample);
      std::optional<DateTime> date = parse_date(text);
      SYN_CHECK_T(ValueError, date.has_value(), where(r, index.date), " has ", detail::excerpt(text),
                  " (expected a date like ", detail::excerpt(cell(date_sample, index.date)), " on line ",
                  rows_[date_sample].line, ")");
      times.push_back(*date);
    }
    if (index.time) {
      const size_t col = *index.time;
      const size_t time_sample = first_value(col);
      for (size_t r = 0; r < rows_.size(); ++r) {
        SYN_CHECK_T(ValueError, !times[r].has_time, where(r, index.date), " has a time of day and ",
                    "the file also has the time column ", label(col), " (expected one or the other)");
        const std::string_view text = timestamp_cell(r, col, time_sample);
        const std::optional<TimeOfDay> time = parse_time_of_day(text);
        SYN_CHECK_T(ValueError, time.has_value(), where(r, col), " has ", detail::excerpt(text),
                    " (expected a time of day like ", detail::excerpt(cell(time_sample, col)), " on line ",
                    rows_[time_sample].line, ")");
        times[r].hour = time->hour;
        times[r].minute = time->minute;
        times[r].second = time->second;
        times[r].has_time = true;
      }
    }
    return times;
  }

  std::vector<std::string> timestamp_texts(const TimeIndex& index) const {
    std::vector<std::string> out;
    for (size_t r = 0; r < rows_.size(); ++r) {
      std::string text(cell(r, index.date));
      if (index.time) {
        text += ' ';
        text += cell(r, *index.time);
      }
      out.push_back(std::move(text));
    }
    return out;
  }

  const std::string& source_;
  const CsvOptions& options_;
  bool decimal_comma_ = false;
  CsvRecord header_;
  std::vector<CsvRecord> rows_;
};

}  // namespace

Table parse_csv(std::string_view text, const CsvOptions& options, const std::string& source) {
  return CsvReader(text, options, source).read();
}

Table read_csv(const std::string& path, const CsvOptions& options) {
  std::error_code ec;
  SYN_CHECK_T(ValueError, std::filesystem::is_regular_file(path, ec), "read_csv: cannot read '", path,
              "': ", std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  std::ifstream in(path, std::ios::binary);
  SYN_CHECK_T(ValueError, in.good(), "read_csv: cannot open '", path, "'");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str(), options, path);
}

}  // namespace syn::forecast
