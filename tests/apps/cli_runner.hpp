#pragma once
// Runs the built `synapse` binary (SYN_CLI_PATH) through the shell and captures its exit status,
// stdout and stderr, for the command-line tests.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace syn::testing {

struct CliResult {
  int status = -1;  // exit status, or -1 when it did not exit normally
  std::string out, err;
};

// 'text' quoted for the shell.
inline std::string quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// `synapse <args>` with stderr in a file beside `scratch` (a directory).
inline CliResult run_cli(const std::string& args, const std::filesystem::path& scratch) {
  const std::filesystem::path err = scratch / "stderr.txt";
  const std::string command = quoted(SYN_CLI_PATH) + " " + args + " 2>" + quoted(err.string());
  CliResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err);
  std::ostringstream text;
  text << in.rdbuf();
  r.err = text.str();
  std::filesystem::remove(err);
  return r;
}

}  // namespace syn::testing
