#include "cli_values.hpp"

#include <charconv>
#include <cmath>

#include "synapse/forecast/number.hpp"

namespace syn::apps {
namespace {
bool parse_double(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && !s.empty() && std::isfinite(out);
}
}  // namespace

CLI::Validator positive_integer() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        int64_t v = 0;
        const char* end = s.data() + s.size();
        auto [ptr, ec] = std::from_chars(s.data(), end, v);
        if (ec == std::errc() && ptr == end && v > 0) return {};
        return "must be a whole number > 0, got '" + s + "'";
      },
      "INT>0");
}

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v > 0) return {};
        return "must be a number > 0, got '" + s + "'";
      },
      "NUMBER>0");
}

CLI::Validator non_negative_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v >= 0) return {};
        return "must be a number >= 0, got '" + s + "'";
      },
      "NUMBER>=0");
}

CLI::Validator probability() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v >= 0 && v < 1) return {};
        return "must be a number in [0, 1), got '" + s + "'";
      },
      "P in [0,1)");
}

MissingMarkers split_missing_markers(const std::vector<std::string>& na) {
  MissingMarkers out;
  for (const std::string& s : na) {
    if (const auto v = forecast::parse_number(s, true))
      out.values.push_back(*v);
    else
      out.markers.push_back(s);
  }
  return out;
}

}  // namespace syn::apps
