#pragma once
// A checkpoint's data settings as JSON, in the shape `synapse inspect --json` prints under "data";
// `synapse export` stores it in the safetensors metadata and `synapse import` reads it back.
#include <string_view>

#include <nlohmann/json.hpp>

#include "synapse/train/data_settings.hpp"

namespace syn::apps {

nlohmann::json data_settings_json(const train::DataSettings& d);
// ValueError naming `source` and the key for a missing key or a value of the wrong type.
train::DataSettings data_settings_from_json(const nlohmann::json& j, std::string_view source);

}  // namespace syn::apps
