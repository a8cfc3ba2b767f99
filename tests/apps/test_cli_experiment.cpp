// `synapse experiment run|plan|report` and `synapse sensitivity` on generated data (and quick.json on
// bitcoin.csv): results lines, skipping finished runs, concurrent writers, bad grids, GNU parallel and
// Slurm plans, the report's tables, statistics and plots, with and without gnuplot.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "apps/cli_runner.hpp"
#include "support/data.hpp"
#include "support/temp_dir.hpp"

using namespace syn::testing;
using nlohmann::json;

namespace {

// A grid on a generated 400-row hourly series: 3 regularisers x 2 models x 2 seeds = 12 small runs.
std::string write_grid(const TempDir& dir, const json& changes = json::object()) {
  json grid = {{"name", "synthetic"},
               {"datasets", {{{"name", "synthetic"}, {"file", write_synthetic_csv(dir.file("series.csv"), 400)},
                              {"target", "demand"}, {"ignore", {"time"}}}}},
               {"models", {"rnn", "lstm"}},
               {"regularisers", {"none", "dropout", "pruning"}},
               {"lookbacks", {6}},
               {"seeds", {1, 2}},
               {"protocols", {"clean"}},
               {"settings", {{"epochs", 3}, {"hidden_size", 8}, {"prune_begin", 1}}}};
  grid.merge_patch(changes);
  std::ofstream(dir.file("grid.json")) << grid.dump(1);
  return dir.file("grid.json");
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Every line a run record; returns their keys (each once).
std::set<std::string> record_keys(const std::string& path, size_t expected) {
  const std::vector<std::string> lines = lines_of(path);
  REQUIRE(lines.size() == expected);
  std::set<std::string> keys;
  for (const std::string& line : lines) {
    const json j = json::parse(line);
    CHECK(j["metrics"]["mae"].is_number());
    keys.insert(j["key"].get<std::string>());
  }
  CHECK(keys.size() == expected);
  return keys;
}

CliResult run_ok(const std::string& args, const TempDir& dir) {
  const CliResult r = run_cli(args, dir.path);
  INFO("synapse " << args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  return r;
}

}  // namespace

TEST_CASE("experiment: a grid writes one full line per run and a rerun skips the finished ones") {
  const TempDir dir("experiment_run");
  const std::string grid = write_grid(dir), results = dir.file("results.jsonl");
  const std::string args = "experiment run --config " + quoted(grid) + " --results " + quoted(results);
  const CliResult first = run_ok(args, dir);
  CHECK(first.err.find("[12/12]") != std::string::npos);
  CHECK(first.err.find("ETA") != std::string::npos);
  record_keys(results, 12);
  for (const std::string& line : lines_of(results)) {
    const json j = json::parse(line);
    const json& s = j["settings"];
    CHECK(s["epochs"] == 3);
    CHECK(s["dataset"] == "synthetic");
    CHECK(j["training"]["epochs"].get<int>() >= 1);
    CHECK(j["seconds"].get<double>() > 0);
    CHECK(j["forecast"]["actual"].size() == j["forecast"]["predicted"].size());
    if (s["reg"] == "pruning") {
      CHECK(s["schedule"] == "paper_ramp");
      CHECK(j["sparsity_curve"].size() == j["training"]["epochs"].get<size_t>());
      CHECK(j["pruning_updates"].get<int>() > 0);
    } else {
      CHECK_FALSE(s.contains("schedule"));
      CHECK(j["sparsity"] == 0.0);
    }
  }
  // Drop the last line as if the run had been interrupted: only that run is trained again.
  std::vector<std::string> lines = lines_of(results);
  lines.pop_back();
  {
    std::ofstream out(results, std::ios::trunc);
    for (const std::string& l : lines) out << l << '\n';
  }
  const CliResult second = run_ok(args, dir);
  CHECK(second.err.find("11 already in") != std::string::npos);
  CHECK(second.err.find("1 to run") != std::string::npos);
  record_keys(results, 12);
}

TEST_CASE("experiment: two jobs share one results file without interleaving lines") {
  const TempDir dir("experiment_jobs");
  const std::string grid = write_grid(dir, {{"seeds", {1, 2, 3, 4}}}), results = dir.file("results.jsonl");
  const CliResult r = run_ok("experiment run --config " + quoted(grid) + " --results " + quoted(results) + " --jobs 2", dir);
  CHECK(r.err.find("[job 2/2]") != std::string::npos);
  record_keys(results, 24);
}

TEST_CASE("experiment: a bad grid fails before any run, naming the entry") {
  const TempDir dir("experiment_bad");
  const std::string results = dir.file("results.jsonl");
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"models", {"rnn", "transformer-xl"}}}, "models[1]: unknown model 'transformer-xl'"},
      {{{"regularisers", {"none", "weight-noise"}}}, "regularisers[1]: unknown regulariser 'weight-noise'"},
      {{{"datasets", {{{"name", "gone"}, {"file", "no_such_file.csv"}, {"target", "demand"}}}}},
       "datasets[0] (gone): dataset file 'no_such_file.csv' not found"},
      {{{"settings", {{"epochz", 3}}}}, "unknown setting \"epochz\""},
      {{{"axes", {{"final_sparsity", {0.5, -1}}}}}, "sparsity -1): pruning schedule: final sparsity must be"},
      // Found by fuzz_experiment: a number as the name was a JSON type error (exit 1).
      {{{"name", 7}}, "\"name\" must be text, got 7"},
      {{{"axes", {{"lr", json(std::vector<double>(60, 1e-3))}, {"epochs", json(std::vector<int>(60, 1))},
                   {"batch", json(std::vector<int>(60, 8))}}}},
       "more than 100000 runs (the product of the lists' and axes' lengths)"},
  };
  for (const auto& [change, message] : cases) {
    const CliResult r = run_cli("experiment run --config " + quoted(write_grid(dir, change)) + " --results " + quoted(results), dir.path);
    INFO(change.dump() << "\nstderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(results));
  }
  // An unknown column: the dataset entry and the column are named.
  json bad_target = json::parse(std::ifstream(write_grid(dir)));
  bad_target["datasets"][0]["target"] = "demandz";
  std::ofstream(dir.file("bad.json")) << bad_target.dump();
  const CliResult r = run_cli("experiment run --config " + quoted(dir.file("bad.json")) + " --results " + quoted(results), dir.path);
  CHECK(r.status == 2);
  CHECK(r.err.find("dataset 'synthetic'") != std::string::npos);
  CHECK(r.err.find("demandz") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(results));
  // A number too large for a double (JSON's out_of_range rather than a parse error).
  std::ofstream(dir.file("huge.json")) << "{\"settings\": {\"epochs\": 1e999}}";
  const CliResult huge = run_cli("experiment run --config " + quoted(dir.file("huge.json")) + " --results " + quoted(results), dir.path);
  CHECK(huge.status == 2);
  CHECK(huge.err.find("huge.json': not valid JSON") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(results));
}

TEST_CASE("experiment: plan runs under GNU parallel, and the Slurm script runs per array task id") {
  const TempDir dir("experiment_plan");
  const std::string grid = write_grid(dir, {{"models", {"rnn"}}});  // 6 runs
  REQUIRE_MESSAGE(std::system("command -v parallel >/dev/null 2>&1") == 0, "GNU parallel is needed (scripts/setup)");
  const std::string par = dir.file("par.jsonl"), slurm = dir.file("slurm.jsonl");
  run_ok("experiment plan --config " + quoted(grid) + " --results " + quoted(par) + " --out " + quoted(dir.file("cmds.txt")), dir);
  CHECK(lines_of(dir.file("cmds.txt")).size() == 6);
  REQUIRE(std::system(("parallel --will-cite --jobs 2 < " + quoted(dir.file("cmds.txt")) + " 2>/dev/null").c_str()) == 0);
  const std::set<std::string> from_parallel = record_keys(par, 6);

  run_ok("experiment plan --config " + quoted(grid) + " --results " + quoted(slurm) + " --format slurm --out " +
             quoted(dir.file("job.sh")),
         dir);
  const std::vector<std::string> script = lines_of(dir.file("job.sh"));
  CHECK(std::find(script.begin(), script.end(), "#SBATCH --array=0-5") != script.end());
  for (int task = 0; task < 6; ++task)
    REQUIRE(std::system(("SLURM_ARRAY_TASK_ID=" + std::to_string(task) + " bash " + quoted(dir.file("job.sh")) + " 2>/dev/null").c_str()) == 0);
  CHECK(record_keys(slurm, 6) == from_parallel);
  // Without a task id the script refuses to run.
  CHECK(std::system(("env -u SLURM_ARRAY_TASK_ID bash " + quoted(dir.file("job.sh")) + " 2>/dev/null").c_str()) != 0);
}

TEST_CASE("experiment: report writes tables, statistics and plots and names a corrupt line") {
  const TempDir dir("experiment_report");
  const std::string grid = write_grid(dir), results = dir.file("results.jsonl");
  run_ok("experiment run --config " + quoted(grid) + " --results " + quoted(results), dir);
  std::vector<std::string> lines = lines_of(results);
  lines.insert(lines.begin() + 3, "{\"key\": \"cut short");
  lines.insert(lines.begin() + 5, "{\"key\": \"x\", \"metrics\": {\"mae\": 1e999}}");
  {
    std::ofstream out(results, std::ios::trunc);
    for (const std::string& l : lines) out << l << '\n';
  }
  const std::string out = dir.file("report");
  const CliResult r = run_ok("experiment report " + quoted(results) + " --out " + quoted(out), dir);
  CHECK(r.err.find("line 4: not valid JSON") != std::string::npos);
  CHECK(r.err.find("line 6: not valid JSON") != std::string::npos);
  std::ifstream md(out + "/report.md");
  const std::string report((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  CHECK(report.find("12 runs") != std::string::npos);
  CHECK(report.find("line 4") != std::string::npos);
  CHECK(report.find("Friedman χ² = ") != std::string::npos);
  CHECK(report.find("Nemenyi CD = ") != std::string::npos);
  CHECK(report.find("| dropout vs none |") != std::string::npos);
  CHECK(lines_of(out + "/cells.csv").size() == 1 + 6);  // header + 2 models x 3 regularisers
  CHECK(lines_of(out + "/wilcoxon.csv").size() == 1 + 3);
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0) {
    for (const char* png : {"mae_synthetic_clean.png", "cd_synthetic_clean.png", "sparsity_curve_synthetic.png",
                            "forecast_synthetic.png"}) {
      INFO(png);
      std::ifstream image(out + "/plots/" + png, std::ios::binary);
      char magic[4] = {};
      image.read(magic, 4);
      CHECK(std::string(magic + 1, 3) == "PNG");
      CHECK(report.find(std::string("plots/") + png) != std::string::npos);
    }
  }
  // Without gnuplot on PATH: the scripts are written, nothing is drawn, and the report says so.
  const std::string bare = dir.file("bare");
  const CliResult no_gp = run_ok("experiment report " + quoted(results) + " --out " + quoted(bare) + " 2>&1; PATH=/nonexistent " +
                                     quoted(SYN_CLI_PATH) + " experiment report " + quoted(results) + " --out " + quoted(bare),
                                 dir);
  CHECK(no_gp.err.find("gnuplot not found") != std::string::npos);
  CHECK(std::filesystem::exists(bare + "/plots/mae_synthetic_clean.gp"));
}

TEST_CASE("experiment: quick.json runs on bitcoin.csv") {
  const std::optional<std::string> data = require_dataset("bitcoin.csv");
  if (!data) return;
  const TempDir dir("experiment_quick");
  const std::string grid = std::string(SYN_FIXTURE_DIR) + "/../../experiments/quick.json";
  const std::string results = dir.file("quick.jsonl");
  run_ok("experiment run --config " + quoted(grid) + " --results " + quoted(results), dir);
  const std::set<std::string> keys = record_keys(results, 28);  // 2 models x 7 regularisers x 2 seeds
  const CliResult r = run_ok("experiment report " + quoted(results) + " --out " + quoted(dir.file("report")), dir);
  CHECK(r.out.find("report.md") != std::string::npos);
}

TEST_CASE("sensitivity: one tensor and one gate at a time, as a table, JSON and a plot") {
  const TempDir dir("sensitivity");
  const std::string csv = write_synthetic_csv(dir.file("series.csv"), 400);
  run_ok("train --data " + quoted(csv) + " --target demand --model lstm --lookback 6 --horizon 1 --model-opt hidden_size=8 "
         "--model-opt num_layers=1 --epochs 3 --out " + quoted(dir.file("m.syn")),
         dir);
  const std::string out = dir.file("sens");
  const CliResult r = run_ok("sensitivity " + quoted(dir.file("m.syn")) + " --data " + quoted(csv) +
                                 " --sparsities 0.5,0.99 --out " + quoted(out),
                             dir);
  CHECK(r.out.find("weight_hh_l0") != std::string::npos);
  const json j = json::parse(std::ifstream(out + "/sensitivity.json"));
  CHECK(j["part"] == "validation");
  const double base = j["baseline"]["mae"].get<double>();
  // weight_ih and weight_hh whole and per gate (i, f, g, o), and the head: (2 x 5 + 1) x 2 sparsities.
  REQUIRE(j["rows"].size() == 22);
  bool changed = false;
  int64_t whole = 0;
  for (const json& row : j["rows"]) {
    CHECK(std::isfinite(row["loss"].get<double>()));
    changed = changed || std::abs(row["mae"].get<double>() - base) > 1e-9 * base;
    if (row["gate"] == "all") whole = row["size"].get<int64_t>();
    else CHECK(row["size"].get<int64_t>() * 4 == whole);  // a gate is a quarter of the LSTM weight's rows
  }
  CHECK(changed);
  CHECK(std::filesystem::exists(out + "/sensitivity.gp"));
}
