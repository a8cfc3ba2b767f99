#include "cli_values.hpp"

#include <charconv>
#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/number.hpp"

namespace syn::apps {
namespace {
bool parse_double(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && !s.empty() && std::isfinite(out);
}

// A whole number >= minimum; `bound` says so in the message ("> 0", ">= 0").
CLI::Validator integer_from(int64_t minimum, const std::string& bound, const char* type_name) {
  return CLI::Validator(
      [minimum, bound](std::string& s) -> std::string {
        int64_t v = 0;
        const char* end = s.data() + s.size();
        auto [ptr, ec] = std::from_chars(s.data(), end, v);
        if (ec == std::errc() && ptr == end && v >= minimum) return {};
        return "must be a whole number " + bound + ", got " + detail::excerpt(s);
      },
      type_name);
}
}  // namespace

CLI::Validator positive_integer() { return integer_from(1, "> 0", "INT>0"); }

CLI::Validator non_negative_integer() { return integer_from(0, ">= 0", "INT>=0"); }

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v > 0) return {};
        return "must be a number > 0, got " + detail::excerpt(s);
      },
      "NUMBER>0");
}

CLI::Validator non_negative_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v >= 0) return {};
        return "must be a number >= 0, got " + detail::excerpt(s);
      },
      "NUMBER>=0");
}

CLI::Validator probability() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v >= 0 && v < 1) return {};
        return "must be a number in [0, 1), got " + detail::excerpt(s);
      },
      "P in [0,1)");
}

CLI::Validator unit_interval() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (parse_double(s, v) && v >= 0 && v <= 1) return {};
        return "must be a number in [0, 1], got " + detail::excerpt(s);
      },
      "S in [0,1]");
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
