#include "json_config.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "synapse/core/error.hpp"

namespace syn::apps {
namespace {
std::string scalar_text(const nlohmann::json& v, const std::string& key, const std::string& file) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  throw CLI::ConversionError(file + ": key " + detail::excerpt(key) +
                             " must be a string, number, boolean or a list of them, got " + detail::clipped(v.dump()));
}
// A relative FILE or DIR value, resolved against the config file's folder.
std::string resolved_path(const std::string& value, const std::string& config_file) {
  const std::filesystem::path p(value);
  if (value.empty() || p.is_absolute()) return value;
  return (std::filesystem::path(config_file).parent_path() / p).lexically_normal().string();
}

bool is_path_option(const CLI::Option* o) {
  const std::string type = o->get_type_name();
  return type.rfind("FILE", 0) == 0 || type.rfind("DIR", 0) == 0;
}

}  // namespace

std::string JsonConfig::to_config(const CLI::App*, bool, bool, std::string) const { return "{}"; }

std::vector<CLI::ConfigItem> JsonConfig::from_config(std::istream& input) const {
  const std::string path = file_option_->as<std::string>();
  const std::string file = "config file '" + path + "'";
  const std::vector<CLI::App*> chosen = root_->get_subcommands();
  if (chosen.empty())
    throw CLI::ConfigError(file + ": name a subcommand, e.g. synapse train --config FILE.json");
  const CLI::App* sub = chosen.front();
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(input);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw CLI::ConversionError(file + " is not valid JSON: " + e.what());
  }
  if (!root.is_object())
    throw CLI::ConversionError(file + " must hold one JSON object of option names and values");
  std::vector<CLI::ConfigItem> items;
  for (const auto& [key, value] : root.items()) {
    CLI::ConfigItem item;
    item.parents = {sub->get_name()};
    item.name = key;
    std::replace(item.name.begin(), item.name.end(), '_', '-');
    const CLI::Option* option = sub->get_option_no_throw("--" + item.name);
    if (!option || item.name == "help")
      throw CLI::ConfigError(file + ": " + detail::excerpt(key) + " is not an option of synapse " + sub->get_name() +
                             " (see synapse " + sub->get_name() + " --help)");
    if (value.is_array())
      for (const auto& v : value) item.inputs.push_back(scalar_text(v, key, file));
    else
      item.inputs.push_back(scalar_text(value, key, file));
    if (is_path_option(option))
      for (std::string& input : item.inputs) input = resolved_path(input, path);
    items.push_back(std::move(item));
  }
  return items;
}

void add_json_config(CLI::App& root) {
  CLI::Option* option = root.set_config(
      "--config", "", "Options of the subcommand from a JSON object (command-line flags override it)");
  option->type_name("FILE.json");
  root.config_formatter(std::make_shared<JsonConfig>(option, &root));
  root.allow_config_extras(CLI::config_extras_mode::error);
}

}  // namespace syn::apps
