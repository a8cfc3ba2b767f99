#pragma once
// Small helpers shared by the subcommands: validators with readable messages and the --na list.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace syn::apps {

// A whole number > 0 ("--lookback: must be a whole number > 0, got '0'").
CLI::Validator positive_integer();
// A number > 0, and one >= 0.
CLI::Validator positive_number();
CLI::Validator non_negative_number();
// A number in [0, 1).
CLI::Validator probability();
// A number in [0, 1].
CLI::Validator unit_interval();
// A whole number >= 0.
CLI::Validator non_negative_integer();

// --na values: numbers (e.g. -200, "-200,0" with a decimal comma) become numeric sentinels, any other
// text an exact missing-value marker.
struct MissingMarkers {
  std::vector<double> values;
  std::vector<std::string> markers;
};
MissingMarkers split_missing_markers(const std::vector<std::string>& na);

}  // namespace syn::apps
