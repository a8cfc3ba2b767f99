#pragma once
// JsonConfig: lets `--config FILE.json` give any long option of a subcommand as a JSON object key
// ({"lookback": 48, "features": ["T", "RH"], "no-progress": true}). Keys may use '_' for '-'. Flags
// given on the command line override the file (CLI11's config semantics). Errors name the file.
#include <CLI/CLI.hpp>

namespace syn::apps {

class JsonConfig : public CLI::Config {
 public:
  // `file_option`: the subcommand's --config option, read for the file name in messages.
  explicit JsonConfig(const CLI::Option* file_option) : file_option_(file_option) {}
  std::string to_config(const CLI::App*, bool, bool, std::string) const override;
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

 private:
  const CLI::Option* file_option_;
};

// Adds --config FILE.json to `app` with a JsonConfig reader; unknown keys are errors.
void add_json_config(CLI::App& app);

}  // namespace syn::apps
