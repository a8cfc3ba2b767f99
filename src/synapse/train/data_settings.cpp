#include "synapse/train/data_settings.hpp"

#include "synapse/core/error.hpp"

namespace syn::train {

forecast::CsvOptions DataSettings::csv_options() const {
  forecast::CsvOptions options;
  options.ignore = ignore;
  options.missing_values = na_values;
  options.missing_markers = na_markers;
  return options;
}

forecast::Selection DataSettings::selection() const { return {target, features, missing}; }

forecast::Series read_series(const std::string& path, const DataSettings& settings) {
  return forecast::select_series(forecast::read_csv(path, settings.csv_options()), settings.selection());
}

std::string_view missing_policy_name(forecast::MissingPolicy policy) {
  switch (policy) {
    case forecast::MissingPolicy::drop_rows:
      return "drop";
    case forecast::MissingPolicy::forward_fill:
      return "ffill";
    case forecast::MissingPolicy::fail:
      break;
  }
  return "fail";
}

forecast::MissingPolicy missing_policy_from_name(std::string_view name) {
  if (name == "fail") return forecast::MissingPolicy::fail;
  if (name == "drop" || name == "drop_rows") return forecast::MissingPolicy::drop_rows;
  if (name == "ffill" || name == "forward_fill") return forecast::MissingPolicy::forward_fill;
  throw ValueError(
      detail::concat("missing-value policy '", name, "' is unknown (expected fail, drop or ffill)"));
}

}  // namespace syn::train
