#include "data_settings_json.hpp"

#include "synapse/core/error.hpp"

namespace syn::apps {

nlohmann::json data_settings_json(const train::DataSettings& d) {
  return {{"target", d.target},
          {"features", d.features},
          {"ignore", d.ignore},
          {"na_values", d.na_values},
          {"na_markers", d.na_markers},
          {"missing", std::string(train::missing_policy_name(d.missing))},
          {"protocol", d.protocol.name()},
          {"split", {d.protocol.train, d.protocol.val, d.protocol.test}},
          {"scaler", std::string(forecast::scaler_name(d.scaler.kind))},
          {"scaler_offset", d.scaler.offset},
          {"scaler_scale", d.scaler.scale},
          {"transform", std::string(forecast::transform_name(d.transform))}};
}

train::DataSettings data_settings_from_json(const nlohmann::json& j, std::string_view source) {
  const auto get = [&](const char* key, auto& out) {
    SYN_CHECK_T(ValueError, j.is_object() && j.contains(key), source, ": data settings lack '", key, "'");
    try {
      j.at(key).get_to(out);
    } catch (const nlohmann::json::exception&) {
      throw ValueError(detail::concat(source, ": data setting '", key, "' has the wrong type: ", j.at(key).dump()));
    }
  };
  train::DataSettings d;
  std::string missing, protocol, scaler;
  std::vector<double> split;
  get("target", d.target);
  get("features", d.features);
  get("ignore", d.ignore);
  get("na_values", d.na_values);
  get("na_markers", d.na_markers);
  get("missing", missing);
  get("protocol", protocol);
  get("split", split);
  get("scaler", scaler);
  get("scaler_offset", d.scaler.offset);
  get("scaler_scale", d.scaler.scale);
  SYN_CHECK_T(ValueError, split.size() == 3, source, ": data setting 'split' needs 3 fractions");
  d.missing = train::missing_policy_from_name(missing);
  d.protocol = protocol == "paper" ? forecast::Protocol::paper()
                                   : forecast::Protocol::clean(split[0], split[1], split[2]);
  SYN_CHECK_T(ValueError, protocol == "paper" || protocol == "clean", source, ": data setting 'protocol' is '",
              protocol, "', expected clean or paper");
  d.scaler.kind = forecast::scaler_from_name(scaler);
  if (j.contains("transform")) {  // absent in files exported before target transforms existed: none
    std::string transform;
    get("transform", transform);
    d.transform = forecast::transform_from_name(transform);
  }
  return d;
}

}  // namespace syn::apps
