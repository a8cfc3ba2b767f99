// One vocabulary across the subcommands (Note [One vocabulary]): the checkpoint as MODEL or
// --model-file everywhere, --model as the kind, the shared run options, --version, config paths
// relative to the file, inspect's settings, --help's defaults and early-stopping rules, README and
// --help listing the same flags, progress without a terminal, messages in the CLI's words.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli_checks.hpp"
#include "apps/cli_runner.hpp"
#include "support/data.hpp"
#include "support/temp_dir.hpp"

using namespace syn::testing;
using nlohmann::json;

namespace {

const std::vector<std::string> kSubcommands = {"train", "eval", "predict", "inspect", "masks", "export", "import", "demo"};

// A small trained model m.syn on a generated hourly series s.csv in `dir`.
void train_small(const TempDir& dir, const std::string& extra = "") {
  const CliResult r = run_cli("train --data " + quoted(write_synthetic_csv(dir.file("s.csv"), 300)) +
                                  " --target demand --model lstm --lookback 12 --horizon 2 --epochs 2"
                                  " --model-opt hidden_size=4 --model-opt num_layers=1 --out " +
                                  quoted(dir.file("m.syn")) + " " + extra,
                              dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
}

// The long flags a text names ("--model-file", ...), "--help" left out.
std::set<std::string> flags_in(const std::string& text) {
  std::set<std::string> out;
  const std::regex flag("--[a-z][a-z0-9-]*[a-z0-9]");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), flag); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  out.erase("--help");
  return out;
}

std::string readme_command_line_section() {
  std::ifstream in(std::filesystem::path(SYN_FIXTURE_DIR) / ".." / ".." / "README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const size_t begin = all.find("## Command line");
  REQUIRE(begin != std::string::npos);
  return all.substr(begin, all.find("\n## ", begin + 1) - begin);
}

}  // namespace

TEST_CASE("cli vocabulary: the checkpoint is MODEL or --model-file in every subcommand that reads one") {
  TempDir dir("vocab_model_file");
  train_small(dir);
  const std::string m = quoted(dir.file("m.syn")), data = " --data " + quoted(dir.file("s.csv"));
  for (const std::string& named : {m, "--model-file " + m}) {
    CAPTURE(named);
    CHECK(run_cli("eval " + named + data, dir.path).status == 0);
    CHECK(run_cli("predict " + named + data, dir.path).status == 0);
    CHECK(run_cli("inspect " + named, dir.path).status == 0);
    CHECK(run_cli("masks " + named + " --out " + quoted(dir.file("masks")), dir.path).status == 0);
  }
  // train writes it with --out or --model-file.
  const CliResult t = run_cli("train --data " + quoted(dir.file("s.csv")) +
                                  " --target demand --model linear --lookback 12 --horizon 2 --epochs 1 --model-file " +
                                  quoted(dir.file("l.syn")),
                              dir.path);
  CHECK(t.status == 0);
  CHECK(std::filesystem::exists(dir.file("l.syn")));
  // --model is the kind everywhere: a file name there is told apart, another kind refused.
  expect_bad("eval --model " + m + data, dir, {"--model is the model kind", "MODEL or --model-file"});
  expect_bad("eval " + m + " --model gru" + data, dir, {"'gru' model was asked for"});
  CHECK(run_cli("predict " + m + " --model lstm" + data, dir.path).status == 0);
}

TEST_CASE("cli vocabulary: --quiet, --no-progress, --threads and --seed where they apply, and --version") {
  TempDir dir("vocab_run_options");
  train_small(dir);
  const std::string m = quoted(dir.file("m.syn")), data = " --data " + quoted(dir.file("s.csv"));
  for (const std::string sub : {"train", "eval", "predict", "demo"}) {
    const CliResult help = run_cli(sub + " --help", dir.path);
    for (const char* flag : {"--quiet", "--no-progress", "--threads", "--seed"})
      CHECK_MESSAGE(contains(help.out, flag), sub << " --help lacks " << flag);
  }
  const CliResult quiet = run_cli("eval " + m + data + " --quiet --threads 1 --no-progress --seed 3", dir.path);
  CHECK(quiet.status == 0);
  for (const std::string& line : lines(quiet.err)) CHECK_MESSAGE(line.rfind("warning: ", 0) == 0, line);
  CHECK(json::parse(quiet.out).at("command") == "eval");
  expect_bad("eval " + m + data + " --threads 0", dir, {"--threads"});
  const CliResult version = run_cli("--version", dir.path);
  CHECK(version.status == 0);
  CHECK(contains(version.out, "synapse "));
}

TEST_CASE("cli vocabulary: progress is one line per epoch on a non-terminal stderr") {
  TempDir dir("vocab_progress");
  const std::string base = "train --data " + quoted(write_synthetic_csv(dir.file("s.csv"), 300)) +
                           " --target demand --model linear --lookback 12 --horizon 2 --epochs 3 --no-early-stopping"
                           " --out " + quoted(dir.file("m.syn"));
  const CliResult r = run_cli(base, dir.path);
  REQUIRE(r.status == 0);
  for (const char* epoch : {"epoch 1/3  train ", "epoch 2/3  train ", "epoch 3/3  train "})
    CHECK_MESSAGE(contains(r.err, epoch), r.err);
  CHECK(!contains(r.err, "\033["));  // no terminal control codes in a log
  const CliResult quiet = run_cli(base + " --no-progress", dir.path);
  CHECK(!contains(quiet.err, "epoch 1/3"));
  CHECK(contains(quiet.err, "completed 3 epochs"));
}

TEST_CASE("cli vocabulary: relative paths in a --config file resolve against its folder") {
  TempDir dir("vocab_config");
  std::filesystem::create_directories(dir.file("run"));
  write_synthetic_csv(dir.file("run/s.csv"), 300);
  std::ofstream(dir.file("run/train.json"))
      << R"({"data": "s.csv", "target": "demand", "model": "linear", "lookback": 12, "horizon": 2, "epochs": 1,
            "out": "m.syn", "log": "epochs.jsonl"})";
  const CliResult t = run_cli("train --config " + quoted(dir.file("run/train.json")), dir.path);
  INFO(t.err);
  REQUIRE(t.status == 0);
  CHECK(std::filesystem::exists(dir.file("run/m.syn")));
  CHECK(std::filesystem::exists(dir.file("run/epochs.jsonl")));
  std::ofstream(dir.file("run/eval.json")) << R"({"model_file": "m.syn", "data": "s.csv"})";
  CHECK(run_cli("eval --config " + quoted(dir.file("run/eval.json")), dir.path).status == 0);
}

TEST_CASE("cli vocabulary: inspect shows the settings that apply, numbers as numbers") {
  TempDir dir("vocab_inspect");
  train_small(dir);
  const CliResult r = run_cli("inspect --json " + quoted(dir.file("m.syn")), dir.path);
  REQUIRE(r.status == 0);
  const json model = json::parse(r.out).at("model");
  CHECK(model.at("hidden_size") == 4);
  CHECK(model.at("lookback").is_number());
  CHECK(model.at("revin") == false);
  for (const char* absent : {"d_model", "n_heads", "patch_len", "dropout", "mc_samples", "nonlinearity"})
    CHECK_MESSAGE(!model.contains(absent), absent);
  const CliResult text = run_cli("inspect " + quoted(dir.file("m.syn")), dir.path);
  CHECK(!contains(text.out, "d_model"));
  CHECK(!contains(text.out, "dropout"));

  train_small(dir, "--reg mc-dropout --dropout 0.3 --mc-samples 3");
  const json mc = json::parse(run_cli("inspect --json " + quoted(dir.file("m.syn")), dir.path).out).at("model");
  CHECK(mc.at("dropout").get<double>() == doctest::Approx(0.3));
  CHECK(mc.at("mc_samples") == 3);
}

TEST_CASE("cli vocabulary: --help gives every default and the protocols' early-stopping rules") {
  TempDir dir("vocab_help");
  const CliResult train = run_cli("train --help", dir.path);
  CHECK(contains(train.out, "each of the last"));       // the paper protocol's rule
  CHECK(contains(train.out, "without a new best"));     // the clean protocol's rule
  // Every option that takes a value states its default, unless it is required.
  for (const std::string& sub : kSubcommands) {
    CAPTURE(sub);
    const std::vector<std::string> help = lines(run_cli(sub + " --help", dir.path).out);
    for (size_t i = 0; i < help.size(); ++i) {
      const std::string& line = help[i];
      // "  --name TYPE" (one space before the type; a flag has none), "=value" when CLI11 shows a default.
      const std::regex option(R"(^\s+--[a-z-]+(,--[a-z-]+)* ([A-Z]\S*))");
      std::smatch m;
      if (!std::regex_search(line, m, option) || m[2] == "Excludes:") continue;
      const size_t indent = line.find_first_not_of(' ');
      const std::string spec = line.substr(indent, line.find("  ", indent) - indent);  // name and type
      std::string entry = line;  // the description may wrap onto the following lines
      for (size_t k = i + 1; k < help.size() && help[k].find("  -") != 0 && !help[k].empty(); ++k) entry += help[k];
      CHECK_MESSAGE((contains(spec, "=") || contains(entry, "default") || contains(entry, "REQUIRED")),
                    sub << ": no default in '" << entry << "'");
    }
  }
}

TEST_CASE("cli vocabulary: README's command-line section and --help list the same flags") {
  TempDir dir("vocab_readme");
  std::set<std::string> help_flags;
  for (const std::string& sub : kSubcommands)
    for (const std::string& f : flags_in(run_cli(sub + " --help", dir.path).out)) help_flags.insert(f);
  for (const std::string& f : flags_in(run_cli("--help", dir.path).out)) help_flags.insert(f);
  const std::set<std::string> readme = flags_in(readme_command_line_section());
  for (const std::string& f : help_flags) CHECK_MESSAGE(readme.count(f), "README lacks " << f);
  for (const std::string& f : readme) CHECK_MESSAGE(help_flags.count(f), "no --help lists README's " << f);
}

TEST_CASE("cli vocabulary: data messages name the command-line options") {
  TempDir dir("vocab_messages");
  const std::string text = dir.write("text.csv", "name,y\na,1\nb,2\nc,3\n");
  expect_bad("train --data " + quoted(text) + " --target y --model linear --lookback 1 --horizon 1 --out " +
                 quoted(dir.file("m.syn")),
             dir, {"--ignore name"});
  const std::string gap = dir.write("gap.csv", "y\n1\n\n3\nNA\n5\n6\n");
  const CliResult r = run_cli("train --data " + quoted(gap) + " --target y --model linear --lookback 1 --horizon 1 --out " +
                                  quoted(dir.file("m.syn")),
                              dir.path);
  CHECK(r.status == 2);
  CHECK(contains(r.err, "--missing drop"));
  CHECK(!contains(r.err, "CsvOptions"));
  CHECK(!contains(r.err, "forward_fill"));
}
