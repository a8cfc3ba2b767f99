#pragma once
// parse_number: the strict numeric cell parser of read_csv.
#include <optional>
#include <string_view>

namespace syn::forecast {

// A finite decimal number: optional sign, digits with at most one decimal separator, optional
// exponent ("-1.5e3"). With `decimal_comma`, ',' is the decimal separator ("2,6" is 2.6) and '.' is
// accepted as well. Anything else gives nothing: spelled-out inf/nan, hex, thousands separators,
// trailing text, values that overflow a double.
std::optional<double> parse_number(std::string_view cell, bool decimal_comma);

}  // namespace syn::forecast
