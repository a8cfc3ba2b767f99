#include "synapse/forecast/number.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace syn::forecast {

std::optional<double> parse_number(std::string_view cell, bool decimal_comma) {
  if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
  if (cell.empty() || cell.front() == '+') return std::nullopt;
  std::string buffer(cell);
  bool has_digit = false;
  for (char& c : buffer) {
    if (decimal_comma && c == ',') c = '.';
    const bool digit = c >= '0' && c <= '9';
    has_digit = has_digit || digit;
    if (!digit && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') return std::nullopt;
  }
  if (!has_digit) return std::nullopt;
  double value = 0.0;
  const char* end = buffer.data() + buffer.size();
  const auto [ptr, ec] = std::from_chars(buffer.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace syn::forecast
