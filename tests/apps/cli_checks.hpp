#pragma once
// Checks shared by the command-line tests: output lines, and the exit status 2 expectation for bad
// input.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "apps/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace syn::testing {

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Expects exit status 2 and every `parts` in the message.
inline void expect_bad(const std::string& args, const TempDir& dir, const std::vector<std::string>& parts) {
  const CliResult r = run_cli(args, dir.path);
  INFO("synapse " << args << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  for (const std::string& p : parts) CHECK_MESSAGE(contains(r.err, p), "missing '" << p << "'");
}

}  // namespace syn::testing
