#include "synapse/forecast/csv_tokenizer.hpp"

#include "synapse/core/error.hpp"

namespace syn::forecast {
namespace {

std::string delimiter_name(char c) { return c == '\t' ? "tab" : std::string("'") + c + "'"; }

class Tokenizer {
 public:
  Tokenizer(std::string_view text, char delimiter, const std::string& source)
      : s_(text), delim_(delimiter), source_(source) {}

  std::vector<CsvRecord> run() {
    std::vector<CsvRecord> records;
    while (pos_ < s_.size()) {
      CsvRecord record{line_, {}};
      bool any_quoted = false;
      while (true) {
        bool quoted = false;
        record.fields.push_back(field(quoted, record.fields.size() + 1));
        any_quoted = any_quoted || quoted;
        if (pos_ < s_.size() && s_[pos_] == delim_) {
          ++pos_;
          continue;
        }
        end_line();
        break;
      }
      const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !any_quoted;
      if (!blank) records.push_back(std::move(record));
    }
    return records;
  }

 private:
  bool is_blank(char c) const { return (c == ' ' || c == '\t') && c != delim_; }
  bool at_field_end() const {
    return pos_ >= s_.size() || s_[pos_] == delim_ || s_[pos_] == '\n' || s_[pos_] == '\r';
  }

  // Consumes a line end (\n, \r\n or \r) at pos_, if any.
  void end_line() {
    if (pos_ >= s_.size()) return;
    if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  std::string field(bool& quoted, size_t number) {
    size_t p = pos_;
    while (p < s_.size() && is_blank(s_[p])) ++p;
    if (p < s_.size() && s_[p] == '"') {
      quoted = true;
      pos_ = p + 1;
      return quoted_field(number);
    }
    const size_t begin = p;
    pos_ = p;
    while (!at_field_end()) ++pos_;
    size_t end = pos_;
    while (end > begin && is_blank(s_[end - 1])) --end;
    return std::string(s_.substr(begin, end - begin));
  }

  std::string quoted_field(size_t number) {
    const int64_t opened = line_;
    std::string out;
    while (true) {
      SYN_CHECK_T(ValueError, pos_ < s_.size(), "read_csv: ", source_, " line ", opened, ": field ", number,
                  " opens a quote that is never closed (expected a closing '\"')");
      const char c = s_[pos_];
      if (c == '"') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
          out += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\n' || (c == '\r' && !(pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n'))) ++line_;
      out += c;
      ++pos_;
    }
    while (pos_ < s_.size() && is_blank(s_[pos_])) ++pos_;
    SYN_CHECK_T(ValueError, at_field_end(), "read_csv: ", source_, " line ", line_, ": field ", number,
                " has text after its closing quote (expected ", delimiter_name(delim_),
                " or the end of the line)");
    return out;
  }

  std::string_view s_;
  char delim_;
  const std::string& source_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace

std::string_view strip_bom(std::string_view text, const std::string& source) {
  SYN_CHECK_T(ValueError, !(text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")),
              "read_csv: ", source, " is UTF-16 encoded (expected UTF-8 or ASCII text)");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

std::vector<CsvRecord> tokenize_csv(std::string_view text, char delimiter, const std::string& source) {
  SYN_CHECK_T(ValueError, delimiter != '"' && delimiter != '\n' && delimiter != '\r', "read_csv: ", source,
              ": the delimiter cannot be a quote or a line break");
  return Tokenizer(strip_bom(text, source), delimiter, source).run();
}

char detect_delimiter(std::string_view text, const std::string& source) {
  text = strip_bom(text, source);
  const char candidates[] = {',', ';', '\t'};
  int64_t counts[3] = {0, 0, 0};
  bool in_quotes = false;
  for (char c : text) {
    if (c == '"') in_quotes = !in_quotes;
    if (!in_quotes && (c == '\n' || c == '\r')) break;
    if (in_quotes) continue;
    for (int i = 0; i < 3; ++i) counts[i] += c == candidates[i];
  }
  int best = 0;
  for (int i = 1; i < 3; ++i)
    if (counts[i] > counts[best]) best = i;
  if (counts[best] == 0) return ',';
  for (int i = 0; i < 3; ++i)
    SYN_CHECK_T(ValueError, i == best || counts[i] != counts[best], "read_csv: ", source,
                ": cannot tell the delimiter, the header line has ", counts[best], " ",
                delimiter_name(candidates[best]), " and ", counts[i], " ", delimiter_name(candidates[i]),
                " (make the header line use one delimiter)");
  return candidates[best];
}

}  // namespace syn::forecast
