#pragma once
// read_csv: a CSV file -> Table of numeric columns (and calendar features), strict and explicit.
//
// Layout: the first record is the header; every other record must have as many fields (a ragged row
// is an error naming its line). Records whose fields are all empty (Air Quality's `;;;;` rows) are
// skipped, and so are unnamed columns whose cells are all empty (its two trailing `;;`).
// Tokenizing (BOM, CRLF, quotes) is described in csv_tokenizer.hpp.
//
// Column types come from the first non-missing cell and every other cell must agree:
//   number        -> numeric column (missing cells become NaN)
//   date          -> date column (Note [Date formats] in datetime.hpp)
//   time of day   -> joined to the date column before it
//   anything else -> text: an error naming the column, unless the column is listed in `ignore`
//                    (skipped, never read) or `text_columns` (kept as text).
// Missing values: empty cells, NA, N/A, NaN, nan, the extra `missing_markers`, and numeric cells
// equal to one of `missing_values` (e.g. -200, which also matches "-200,0"). They are NaN in the
// table; select_series applies the missing-value policy to the columns actually used.
//
// Date columns: the first one (with its time) is the time index. Its text becomes the table's
// timestamps, and `dates` decides whether calendar features are added (Note [Calendar features]).
// Date columns never become numeric columns themselves.
//
// Every error is a ValueError that names the source, the line (and the column) and what was expected,
// and the `synapse` option that helps in the command line's words (--ignore is CsvOptions::ignore).
#include <string>
#include <string_view>
#include <vector>

#include "synapse/forecast/calendar.hpp"
#include "synapse/forecast/table.hpp"

namespace syn::forecast {

enum class DecimalSeparator {
  automatic,  // a comma when the delimiter is ';', else a point
  point,
  comma,  // "2,6" is 2.6 (a point is accepted too)
};

struct CsvOptions {
  char delimiter = 0;  // 0: detect among ',' ';' and tab (detect_delimiter)
  DecimalSeparator decimal = DecimalSeparator::automatic;
  std::vector<std::string> missing_markers;  // extra text markers, matched exactly
  std::vector<double> missing_values;        // numeric sentinels, e.g. {-200}
  std::vector<std::string> ignore;           // columns skipped entirely
  std::vector<std::string> text_columns;     // columns kept as text
  DateHandling dates = DateHandling::drop;
};

Table read_csv(const std::string& path, const CsvOptions& options = {});
// The same from text in memory; `source` names it in messages.
Table parse_csv(std::string_view text, const CsvOptions& options = {},
                const std::string& source = "<string>");

}  // namespace syn::forecast
