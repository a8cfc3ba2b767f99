#pragma once
// JsonConfig: `synapse SUBCOMMAND --config FILE.json` gives any long option of the subcommand as a
// key of one JSON object ({"lookback": 48, "features": ["T", "RH"], "no_progress": true}); '_' in a
// key stands for '-'. Options given on the command line override the file. Relative paths (the
// values of options whose type is FILE or DIR) are relative to the config file's folder. An unknown key, a
// malformed file or a value of the wrong type is a usage error naming the file and the key.
#include <CLI/CLI.hpp>

namespace syn::apps {

class JsonConfig : public CLI::Config {
 public:
  // file_option: the --config option (for the file name); root: the app whose parsed subcommand
  // the keys belong to.
  JsonConfig(const CLI::Option* file_option, const CLI::App* root) : file_option_(file_option), root_(root) {}
  std::string to_config(const CLI::App*, bool, bool, std::string) const override;
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

 private:
  const CLI::Option* file_option_;
  const CLI::App* root_;
};

// Adds --config FILE.json to the root app, usable after any subcommand (CLI11 reads configuration
// files on the root only, so the root falls through to it).
void add_json_config(CLI::App& root);

}  // namespace syn::apps
