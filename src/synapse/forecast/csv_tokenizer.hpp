#pragma once
// CSV tokenizer: text -> records of string fields, before any typing. read_csv builds on it.
//  - a UTF-8 byte order mark is skipped; a UTF-16 one is an error;
//  - records end at \n, \r\n or a lone \r; blank lines give no record;
//  - a field that starts with `"` (after blanks) is quoted: it runs to the next lone `"`, `""` inside
//    stands for one `"`, and delimiters and line breaks inside are kept. Only blanks may follow the
//    closing quote;
//  - unquoted fields are trimmed of spaces (and tabs unless tab is the delimiter).
// Errors (ValueError) name the source and the line.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace syn::forecast {

struct CsvRecord {
  int64_t line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
};

std::vector<CsvRecord> tokenize_csv(std::string_view text, char delimiter, const std::string& source);

// The delimiter of `text`: whichever of `,` `;` and tab occurs most often outside quotes on the first
// line. A tie between two of them is an error (set the delimiter explicitly); none at all gives `,`
// (a single-column file).
char detect_delimiter(std::string_view text, const std::string& source);

// `text` without a leading UTF-8 byte order mark.
std::string_view strip_bom(std::string_view text, const std::string& source);

}  // namespace syn::forecast
