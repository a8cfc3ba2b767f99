// libFuzzer target: `synapse train --config FILE.json` up to the end of option parsing (the JSON
// reader, CLI11's conversions and every option check of train; nothing is run). The input is the
// file. A CLI11 parse error or a syn::Error is an accepted outcome (the tool exits 2 on both);
// anything else is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "command.hpp"
#include "json_config.hpp"
#include "synapse/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace syn::apps;
  static const std::string path = "/tmp/synapse_fuzz_config_" + std::to_string(getpid()) + ".json";
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                static_cast<std::streamsize>(size));
  CLI::App root("fuzz", "synapse");
  root.require_subcommand(1);
  root.fallthrough();
  add_json_config(root);
  const Command train = add_train_command(root);  // owns the option values until parsing is over
  std::vector<std::string> args = {path, "--config", "train"};  // CLI11 parses a reversed vector
  try {
    root.parse(args);
  } catch (const CLI::ParseError&) {
  } catch (const syn::Error&) {
  }
  return 0;
}
