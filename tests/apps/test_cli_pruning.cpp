// `synapse train --reg pruning`: the JSON's sparsity, the prune log, the checkpoint's masks, the
// options' documented defaults, and exit status 2 for every kind of bad pruning input.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/cli_checks.hpp"
#include "apps/cli_runner.hpp"
#include "support/data.hpp"
#include "support/temp_dir.hpp"

using namespace syn::testing;
using nlohmann::json;

namespace {

// train on a generated 365-row series: a small model, 6 epochs without early stopping (248 windows:
// 4 batches an epoch).
std::string lstm_run(const TempDir& dir, const std::string& kind = "lstm") {
  return "train --data " + quoted(write_synthetic_csv(dir.file("series.csv"), 365)) + " --target demand --model " + kind +
         " --lookback 7 --horizon 1" +
         std::string(kind == "paper-patchtst" ? "" : " --model-opt hidden_size=16 --model-opt num_layers=1") +
         " --epochs 6 --no-early-stopping --seed 4 --out " +
         quoted(dir.file("p.syn"));
}

json run_ok(const std::string& args, const TempDir& dir) {
  const CliResult r = run_cli(args, dir.path);
  INFO("synapse " << args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

std::vector<json> log_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> out;
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("cli pruning: --reg pruning reports its sparsity, writes a parseable prune log and saves the masks") {
  TempDir dir("pruning_run");
  const std::string log = dir.file("prune.jsonl");
  const json j = run_ok(lstm_run(dir) +
                            " --reg pruning --schedule zhu_gupta --initial-sparsity 0.2 --final-sparsity 0.75"
                            " --prune-begin 1 --prune-end 4 --prune-every 3 --prune-log " +
                            quoted(log),
                        dir);
  CHECK(j.at("reg") == "pruning");
  const double sparsity = j.at("sparsity").get<double>();
  CHECK(sparsity == doctest::Approx(0.75).epsilon(0.001));
  const json& p = j.at("pruning");
  CHECK(p.at("schedule") == "zhu_gupta");
  CHECK(p.at("scope") == "global");
  CHECK(p.at("score") == "magnitude");
  CHECK(p.at("granularity") == "element");
  CHECK(p.at("tensors") == json::array({"rnn.weight_ih_l0", "rnn.weight_hh_l0", "head.weight"}));
  CHECK(std::isfinite(j.at("metrics").at("mae").get<double>()));

  const std::vector<json> lines = log_lines(log);
  REQUIRE(static_cast<int64_t>(lines.size()) == p.at("updates").get<int64_t>());
  // Steps 4 (begin), 7, 10, 13 and 16 (end) of 4 batches an epoch.
  std::vector<int64_t> steps;
  for (const json& l : lines) steps.push_back(l.at("step").get<int64_t>());
  CHECK(steps == std::vector<int64_t>{4, 7, 10, 13, 16});
  CHECK(lines.front().at("target").get<double>() == doctest::Approx(0.2));
  CHECK(lines.back().at("target").get<double>() == doctest::Approx(0.75));
  CHECK(lines.back().at("achieved").get<double>() == sparsity);
  for (const json& l : lines) {
    for (const char* key : {"epoch", "achieved", "threshold", "tensors"}) CHECK(l.contains(key));
    const json& hh = l.at("tensors").at(1);
    CHECK(hh.at("name") == "rnn.weight_hh_l0");
    CHECK(hh.at("size") == 1024);
    CHECK(hh.at("gates").size() == 4);
  }

  // The checkpoint keeps the masks: inspect shows the sparsity of the pruned tensors.
  const CliResult inspect = run_cli("inspect --json " + quoted(dir.file("p.syn")), dir.path);
  REQUIRE(inspect.status == 0);
  int64_t size = 0, live = 0;
  const json inspected = json::parse(inspect.out);
  for (const json& t : inspected.at("tensors")) {
    const std::string name = t.at("name");
    if (name.find("weight") == std::string::npos) {
      CHECK(t.at("sparsity") == 0.0);
      continue;
    }
    size += t.at("numel").get<int64_t>();
    live += t.at("live").get<int64_t>();
  }
  CHECK(1.0 - static_cast<double>(live) / static_cast<double>(size) == doctest::Approx(sparsity));
}

TEST_CASE("cli pruning: the study's preset by default, pruning+dropout, a capped final target, a plain run's sparsity") {
  TempDir dir("pruning_preset");
  // The LSTM preset: 0.7 -> 1.2 after a warm-up of 2 epochs, every 2 batches; with --prune-end 4 the
  // 0-based epoch 4 asks for 1.2, which is capped at 0.99 with a warning.
  const CliResult r = run_cli(lstm_run(dir) + " --reg pruning+dropout --prune-end 4", dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("reg") == "pruning+dropout");
  CHECK(j.at("pruning").at("schedule") == "paper_ramp");
  CHECK(j.at("pruning").at("initial_sparsity") == 0.7);
  CHECK(j.at("pruning").at("final_sparsity") == 1.2);
  CHECK(j.at("pruning").at("begin_epoch") == 2);
  CHECK(j.at("pruning").at("every") == 2);
  CHECK(j.at("sparsity").get<double>() == doctest::Approx(0.99).epsilon(0.001));
  CHECK(contains(r.err, "warning: pruning"));
  CHECK(contains(r.err, "asks for sparsity 1.2"));
  CHECK(contains(r.err, "capped at 0.99"));
  // Without pruning the JSON has sparsity 0 over the weight matrices and no pruning settings.
  const json plain = run_ok(lstm_run(dir), dir);
  CHECK(plain.at("sparsity") == 0.0);
  CHECK(plain.at("pruning").is_null());
}

TEST_CASE("cli pruning: --config gives pruning options, here per-tensor row pruning with an include pattern") {
  TempDir dir("pruning_config");
  const std::string cfg = dir.write("cfg.json",
                                    "{\"reg\": \"pruning\", \"schedule\": \"constant\", \"final_sparsity\": 0.5, "
                                    "\"prune_begin\": 0, \"prune_every\": 4, \"scope\": \"per-tensor\", "
                                    "\"granularity\": \"row\", \"prune_include\": [\"head.bias\"]}");
  const json j = run_ok(lstm_run(dir) + " --config " + quoted(cfg), dir);
  const json& p = j.at("pruning");
  CHECK(p.at("scope") == "per-tensor");
  CHECK(p.at("granularity") == "row");
  CHECK(p.at("tensors").back() == "head.bias");
  // Every tensor within one row of 0.5: the LSTM's rows are 1 (ih) or 16 (hh, head) wide.
  const CliResult inspect = run_cli("inspect --json " + quoted(dir.file("p.syn")), dir.path);
  REQUIRE(inspect.status == 0);
  const json inspected = json::parse(inspect.out);
  for (const json& t : inspected.at("tensors")) {
    const std::string name = t.at("name");
    if (name == "rnn.weight_hh_l0") CHECK(t.at("live") == 512);
    if (name == "rnn.weight_ih_l0") CHECK(t.at("live") == 32);
    if (name == "head.bias") CHECK(t.at("live") == 1);  // one entry, one live entry kept
  }
}

TEST_CASE("cli pruning: bad pruning input exits 2 and names the option and what was expected") {
  TempDir dir("pruning_bad");
  const std::string base = lstm_run(dir) + " --reg pruning";
  expect_bad(base + " --initial-sparsity 1.5", dir, {"--initial-sparsity", "must be a number in [0, 1], got '1.5'"});
  expect_bad(base + " --final-sparsity -0.1", dir, {"--final-sparsity", "[0, 1]"});
  expect_bad(base + " --prune-begin 4 --prune-end 4", dir,
             {"--prune-begin (4 epochs) must be before --prune-end (4)"});
  expect_bad(base + " --prune-begin 6", dir, {"--prune-begin (6 epochs)", "--prune-end (6, from --epochs)"});
  expect_bad(lstm_run(dir, "paper-patchtst") + " --reg pruning --prune-end 3", dir,
             {"--prune-begin (5 epochs, the paper-patchtst preset's warm-up)"});
  expect_bad(base + " --prune-every 0", dir, {"--prune-every", "must be a whole number > 0, got '0'"});
  expect_bad(base + " --prune-include '*gamma*'", dir,
             {"--prune-include", "include pattern '*gamma*' matches no parameter", "rnn.bias_ih_l0"});
  expect_bad(base + " --prune-exclude '*'", dir, {"--prune-exclude", "no prunable tensors"});
  expect_bad(base + " --schedule cubic", dir, {"--schedule", "cubic", "zhu_gupta"});
  expect_bad(base + " --score taylor", dir, {"--score", "taylor", "grad-magnitude"});
  expect_bad(base + " --granularity block:4", dir, {"--granularity", "block:RxC"});
  expect_bad(base + " --scope layer", dir, {"--scope", "per-tensor"});
  expect_bad(base + " --prune-log " + quoted(dir.file("missing/dir/p.jsonl")), dir, {"--prune-log", "cannot write"});
  expect_bad(lstm_run(dir) + " --schedule zhu_gupta", dir,
             {"--schedule", "need --reg pruning or pruning+dropout"});
  expect_bad(lstm_run(dir) + " --reg dropout --final-sparsity 0.5", dir, {"--final-sparsity", "need --reg pruning"});
  expect_bad(lstm_run(dir) + " --reg prune", dir, {"--reg", "prune"});
}
