// The `synapse` command line, run as a separate process: help, a full train -> eval -> predict ->
// inspect round trip, the JSON config, and exit status 2 with a named reason for every kind of bad
// input, on a generated series (write_synthetic_csv); the Air Quality file's own format on the real
// file (Note [Tests that need a real dataset] in tests/support/data.hpp).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

#include "apps/cli_checks.hpp"
#include "apps/cli_runner.hpp"
#include "support/data.hpp"
#include "support/temp_dir.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/train/weights_text.hpp"

using namespace syn::testing;
namespace fs = std::filesystem;
using nlohmann::json;

using syn::testing::TempDir;

namespace {

// The generated series every CLI test trains on: 365 hourly rows, written to dir/series.csv.
std::string series_csv(const TempDir& dir) { return write_synthetic_csv(dir.file("series.csv"), 365); }

// Trains a small linear model on series_csv(dir) into dir/m.syn and returns the JSON printed.
json train_series(const TempDir& dir, const std::string& extra = "") {
  const CliResult r =
      run_cli("train --data " + quoted(series_csv(dir)) +
                  " --target demand --model linear --lookback 14 --horizon 7 --epochs 5 --seed 3 --out " +
                  quoted(dir.file("m.syn")) + " " + extra,
              dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}


}  // namespace

TEST_CASE("cli: --help on the tool and on every subcommand") {
  TempDir dir("help");
  const CliResult root = run_cli("--help", dir.path);
  CHECK(root.status == 0);
  for (const char* sub : {"train", "eval", "predict", "inspect", "demo"}) CHECK(contains(root.out, sub));
  const std::vector<std::pair<std::string, std::vector<std::string>>> options = {
      {"train", {"--data",     "--target",   "--features", "--ignore",  "--missing", "--na",    "--model",
                 "--lookback", "--horizon",  "--reg",      "--dropout", "--epochs",  "--batch", "--lr",
                 "--seed",     "--protocol", "--patience", "--out",     "--log",     "--config"}},
      {"eval", {"--model-file", "--data", "--part"}},
      {"predict", {"--model-file", "--data", "--out"}},
      {"inspect", {"MODEL", "--json"}},
      {"demo", {"--out-dir", "--epochs"}}};
  for (const auto& [sub, names] : options) {
    const CliResult r = run_cli(sub + " --help", dir.path);
    CAPTURE(sub);
    CHECK(r.status == 0);
    for (const std::string& n : names) CHECK_MESSAGE(contains(r.out, n), sub << " --help lacks " << n);
  }
  const CliResult none = run_cli("", dir.path);
  CHECK(none.status == 2);
  CHECK(contains(none.err, "subcommand"));
}

TEST_CASE("cli: train -> eval -> predict -> inspect round trip on a generated series") {
  TempDir dir("round_trip");
  const json t = train_series(dir, "--log " + quoted(dir.file("log.jsonl")));
  const std::string data = quoted(dir.file("series.csv"));
  CHECK(t.at("model") == "linear");
  CHECK(t.at("protocol") == "clean");
  CHECK(t.at("target") == "demand");
  CHECK(t.at("loss") == "mse");
  CHECK(t.at("optimizer") == "adam");
  const int64_t windows = t.at("test_windows");
  CHECK(windows == 74 - 7 + 1);  // test rows 291..364, windows owning their targets
  const json& m = t.at("metrics");
  CHECK(m.at("count") == windows * 7);
  for (const char* k : {"mae", "mse", "rmse", "mape", "smape", "mase"}) CHECK(m.at(k).get<double>() > 0);
  CHECK(m.at("rmse").get<double>() == doctest::Approx(std::sqrt(m.at("mse").get<double>())));
  CHECK(m.at("mae").get<double>() < 25);  // a sanity bound: demand runs 84-152 in the test part
  const json& tr = t.at("training");
  CHECK(tr.at("epochs") == 5);
  CHECK(t.at("model_file") == dir.file("m.syn"));
  // getrusage's peak: at least the program's own image, far below a machine's memory
  CHECK(t.at("peak_rss_mb").get<double>() > 1);
  CHECK(t.at("peak_rss_mb").get<double>() < 4096);

  std::ifstream log(dir.file("log.jsonl"));
  std::string line;
  int64_t epochs = 0;
  while (std::getline(log, line)) CHECK(json::parse(line).at("epoch") == ++epochs);
  CHECK(epochs == 5);

  SUBCASE("eval reproduces the test metrics exactly") {
    const CliResult r =
        run_cli("eval --model-file " + quoted(dir.file("m.syn")) + " --data " + data, dir.path);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const json e = json::parse(r.out);
    CHECK(e.at("metrics") == m);
    CHECK(e.at("windows") == windows);
    const CliResult all =
        run_cli("eval --part all --model-file " + quoted(dir.file("m.syn")) + " --data " + data, dir.path);
    REQUIRE(all.status == 0);
    CHECK(json::parse(all.out).at("windows") == 365 - 14 - 7 + 1);
  }
  SUBCASE("predict: one row per origin, the last row included, in original units") {
    const CliResult r =
        run_cli("predict --model-file " + quoted(dir.file("m.syn")) + " --data " + data, dir.path);
    INFO(r.err);
    REQUIRE(r.status == 0);
    const std::vector<std::string> rows = lines(r.out);
    REQUIRE(rows.size() == 1 + 365 - 14 + 1);
    CHECK(rows[0] == "timestamp,t+1,t+2,t+3,t+4,t+5,t+6,t+7");
    CHECK(rows.back().rfind("2024-01-16 04:00:00,", 0) == 0);  // row 364
    CHECK(rows[1].rfind("2024-01-01 13:00:00,", 0) == 0);      // the 14th row
    const double first = std::stod(rows.back().substr(rows.back().find(',') + 1));
    CHECK(first > 50);  // demand runs 61-153 over the series
    CHECK(first < 170);
    const CliResult to_file = run_cli("predict --model-file " + quoted(dir.file("m.syn")) + " --data " +
                                          data + " --out " + quoted(dir.file("f.csv")),
                                      dir.path);
    REQUIRE(to_file.status == 0);
    CHECK(to_file.out.empty());
    CHECK(contains(to_file.err, "wrote 352 forecasts of 7 steps"));
    std::ifstream f(dir.file("f.csv"));
    CHECK(std::string(std::istreambuf_iterator<char>(f), {}) == r.out);
  }
  SUBCASE("inspect: layers, parameter counts and settings") {
    const CliResult r = run_cli("inspect " + quoted(dir.file("m.syn")), dir.path);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(contains(r.out, "parameters  105 total, 105 live, sparsity 0.00%"));
    CHECK(contains(r.out, "weight"));
    CHECK(contains(r.out, "(7, 14)"));
    CHECK(contains(r.out, "lookback       14"));
    CHECK(contains(r.out, "\"demand\""));
    const CliResult j = run_cli("inspect --json " + quoted(dir.file("m.syn")), dir.path);
    REQUIRE(j.status == 0);
    const json doc = json::parse(j.out);
    CHECK(doc.at("parameters").at("total") == 105);
    CHECK(doc.at("tensors").size() == 2);
    CHECK(doc.at("tensors")[0].at("name") == "weight");
    CHECK(doc.at("model").at("kind") == "linear");
    CHECK(doc.at("data").at("target") == "demand");
  }
  // No temporary files are left beside the outputs.
  for (const auto& e : fs::directory_iterator(dir.path))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("cli: the same seed trains the same model, MC dropout reports its spread") {
  TempDir dir("seed");
  const json a = train_series(dir, "--reg mc-dropout --dropout 0.3 --mc-samples 8");
  const json b = train_series(dir, "--reg mc-dropout --dropout 0.3 --mc-samples 8");
  CHECK(a.at("metrics") == b.at("metrics"));
  CHECK(a.at("metrics").at("mc_samples") == 8);
  CHECK(a.at("metrics").at("mc_spread").get<double>() > 0);
  const CliResult p = run_cli(
      "predict --model-file " + quoted(dir.file("m.syn")) + " --data " + quoted(dir.file("series.csv")),
      dir.path);
  REQUIRE(p.status == 0);
  CHECK(contains(lines(p.out)[0], ",t+7,sd_t+1,"));
}

TEST_CASE("cli: --config JSON gives the options, flags override it") {
  TempDir dir("config");
  const std::string cfg =
      dir.write("cfg.json", "{\"data\": \"" + series_csv(dir) +
                                "\", \"target\": \"demand\", \"model\": \"linear\", "
                                "\"lookback\": 10, \"horizon\": 3, \"epochs\": 4, "
                                "\"features\": [\"temperature\", \"hour\"], \"no_progress\": true, "
                                "\"out\": \"" +
                                dir.file("c.syn") + "\"}");
  const CliResult r =
      run_cli("train --config " + quoted(cfg) + " --epochs 2 --features day_of_week", dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("lookback") == 10);
  CHECK(j.at("horizon") == 3);
  CHECK(j.at("training").at("epochs") == 2);
  CHECK(j.at("features") == json::array({"day_of_week"}));
  expect_bad("train --config " + quoted(dir.write("typo.json", "{\"lookbak\": 3}")), dir,
             {"typo.json", "'lookbak' is not an option of synapse train"});
  expect_bad("train --config " + quoted(dir.write("broken.json", "{\"lookback\": ")), dir,
             {"broken.json", "is not valid JSON"});
}

TEST_CASE("cli: the Air Quality file trains (semicolon separator, decimal commas, -200 as missing)") {
  const std::optional<std::string> air = require_dataset("AirQualityUCI.csv");
  if (!air) return;
  TempDir dir("air");
  const CliResult r =
      run_cli("train --data " + quoted(*air) +
                  " --target 'CO(GT)' --features T,RH --na -200 --missing ffill --model linear"
                  " --lookback 24 --horizon 6 --epochs 2 --out " +
                  quoted(dir.file("air.syn")),
              dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("target") == "CO(GT)");
  CHECK(j.at("metrics").at("mae").get<double>() > 0);
  CHECK(j.at("metrics").at("mae").get<double>() < 2.0);  // mg/m^3; the series' spread is ~1.4
  const CliResult e =
      run_cli("eval --model-file " + quoted(dir.file("air.syn")) + " --data " + quoted(*air), dir.path);
  REQUIRE(e.status == 0);
  CHECK(json::parse(e.out).at("metrics") == j.at("metrics"));
  // With -200 declared missing, the default policy (fail) names the first gap.
  expect_bad("train --data " + quoted(*air) + " --target 'CO(GT)' --na -200 --model linear --out " +
                 quoted(dir.file("x.syn")),
             dir, {"AirQualityUCI.csv line", "missing value in column 'CO(GT)'"});
}

TEST_CASE("cli: bad input exits 2 and names the file, column, line, option or field") {
  TempDir dir("bad");
  const std::string data = quoted(series_csv(dir));
  const std::string out = " --out " + quoted(dir.file("bad.syn"));
  const std::string base = "train --data " + data + " --model linear --lookback 7 --horizon 3";

  expect_bad(base + " --target nope" + out, dir, {"series.csv", "no target column 'nope'", "demand"});
  expect_bad(base + " --target demand --features temperature,nope" + out, dir, {"no feature column 'nope'"});
  const std::string text = dir.write("text.csv", "day,y\n1,2\n2,3\n3,abc\n");
  expect_bad("train --data " + quoted(text) + " --target y --model linear" + out, dir,
             {"text.csv line 4", "column 'y'", "'abc'"});
  const std::string empty = dir.write("empty.csv", "day,y\n1,\n2,NA\n3,\n");
  expect_bad("train --data " + quoted(empty) + " --target y --model linear" + out, dir,
             {"empty.csv line 2", "missing value in column 'y'", "--missing"});
  expect_bad("train --data " + quoted(empty) + " --target y --model linear --missing drop" + out, dir,
             {"no row of", "empty.csv"});
  std::string short_csv = "day,y\n";
  for (int i = 0; i < 12; ++i) short_csv += std::to_string(i) + "," + std::to_string(i * i) + "\n";
  expect_bad("train --data " + quoted(dir.write("short.csv", short_csv)) +
                 " --target y --model linear --lookback 10 --horizon 5" + out,
             dir, {"short.csv", "12 rows", "fewer than lookback 10 + horizon 5"});
  expect_bad(base + " --target demand --lookback 0" + out, dir,
             {"--lookback", "must be a whole number > 0, got '0'"});
  expect_bad(base + " --target demand --horizon -3" + out, dir, {"--horizon", "got '-3'"});
  expect_bad(base + " --target demand --dropout 1" + out, dir, {"--dropout"});
  expect_bad(base + " --target demand --model transformer" + out, dir, {"--model", "transformer"});
  expect_bad(base + " --target demand --model-opt hiden_size=3" + out, dir,
             {"--model-opt", "unknown key 'hiden_size'"});
  expect_bad(base + " --target demand --bogus 1" + out, dir, {"--bogus"});
  expect_bad("train --data " + quoted(dir.file("absent.csv")) + " --target y --model linear" + out, dir,
             {"--data", "absent.csv"});
  expect_bad(base + out, dir, {"--target is required"});

  // Checkpoints: another model kind, damaged, truncated, not a checkpoint at all.
  train_series(dir);
  const std::string good = dir.file("m.syn");
  expect_bad("eval --model lstm --model-file " + quoted(good) + " --data " + data, dir,
             {"m.syn", "field 'config.kind' is 'linear', but a 'lstm' model was asked for"});
  std::ifstream in(good, std::ios::binary);
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
  auto write_bytes = [&](const std::string& name, const std::vector<char>& b) {
    std::ofstream(dir.path / name, std::ios::binary).write(b.data(), static_cast<std::streamsize>(b.size()));
    return quoted(dir.file(name));
  };
  std::vector<char> flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  const std::string damaged = write_bytes("damaged.syn", flipped);
  expect_bad("eval --model-file " + damaged + " --data " + data, dir,
             {"damaged.syn", "field 'checksum'", "damaged"});
  expect_bad("predict --model-file " + damaged + " --data " + data, dir, {"damaged.syn", "field 'checksum'"});
  expect_bad("inspect " + damaged, dir, {"damaged.syn", "field 'checksum'"});
  const std::string truncated =
      write_bytes("truncated.syn", std::vector<char>(bytes.begin(), bytes.begin() + 100));
  expect_bad("eval --model-file " + truncated + " --data " + data, dir, {"truncated.syn", "truncated"});
  expect_bad("inspect " + data, dir, {"series.csv", "field 'magic'"});
  expect_bad("eval --model-file " + quoted(dir.file("none.syn")) + " --data " + data, dir,
             {"none.syn", "no such file"});
  // A data file without the model's columns.
  const std::string other = dir.write("other.csv", "a,b\n1,2\n3,4\n");
  expect_bad("eval --model-file " + quoted(good) + " --data " + quoted(other), dir,
             {"other.csv", "no target column 'demand'"});
}

TEST_CASE("cli: --init-weights starts from the given weights, --no-shuffle, --no-early-stopping") {
  TempDir dir("init_weights");
  // The weights the seed-11 model starts from (train_series's model: lookback 14, horizon 7).
  syn::nn::ModelConfig c;
  c.kind = "linear";
  c.lookback = 14;
  c.horizon = 7;
  c.seed = 11;
  syn::nn::LinearForecaster seeded(c);
  syn::train::write_weights_text(dir.file("w11.txt"), seeded.state_dict());
  const std::string data = quoted(series_csv(dir));
  const std::string fixed = " --no-shuffle --no-early-stopping";
  const auto train = [&](const std::string& extra) {
    const CliResult r =
        run_cli("train --data " + data +
                    " --target demand --model linear --lookback 14 --horizon 7 --epochs 5 --out " +
                    quoted(dir.file("m.syn")) + " " + extra,
                dir.path);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
  };
  const json from_seed = train("--seed 11" + fixed);
  const json from_file = train("--seed 11 --init-weights " + quoted(dir.file("w11.txt")) + fixed);
  // Without shuffling the seed only draws the initial weights, which the file replaces.
  const json other_seed = train("--seed 4 --init-weights " + quoted(dir.file("w11.txt")) + fixed);
  CHECK(from_file.at("metrics") == from_seed.at("metrics"));
  CHECK(other_seed.at("metrics") == from_seed.at("metrics"));
  CHECK(other_seed.at("init_weights") == dir.file("w11.txt"));
  CHECK(from_seed.at("init_weights").is_null());
  const json& tr = other_seed.at("training");
  CHECK(tr.at("epochs") == 5);
  CHECK(tr.at("kept_epoch") == 5);
  CHECK(tr.at("stop_reason") == "completed");
  // The seed matters without the file, and shuffling changes the result.
  CHECK(train("--seed 4" + fixed).at("metrics") != from_seed.at("metrics"));
  CHECK(train("--seed 11 --no-early-stopping").at("metrics") != from_seed.at("metrics"));

  const std::string base = "train --data " + data +
                           " --target demand --model linear --lookback 14 --horizon 7 --out " +
                           quoted(dir.file("m.syn")) + " --init-weights ";
  c.lookback = 10;
  syn::nn::LinearForecaster shorter(c);
  syn::train::write_weights_text(dir.file("short.txt"), shorter.state_dict());
  expect_bad(base + quoted(dir.file("short.txt")), dir,
             {"short.txt", "shape mismatch for 'weight'", "(7, 10)"});
  syn::train::write_weights_text(dir.file("nobias.txt"), {seeded.state_dict().front()});
  expect_bad(base + quoted(dir.file("nobias.txt")), dir, {"nobias.txt", "missing keys", "bias"});
  expect_bad(base + quoted(dir.write("bad.txt", "tensor weight 2 7 14\n1 x\n")), dir,
             {"bad.txt:2", "'x'", "not a number"});
  expect_bad(base + quoted(dir.file("absent.txt")), dir, {"--init-weights", "absent.txt"});
  expect_bad(base + quoted(dir.file("w11.txt")) + " --no-early-stopping --patience 3", dir,
             {"--no-early-stopping", "--patience"});
}

TEST_CASE("cli: demo prints the comparison table and writes the SVG plot") {
  TempDir dir("demo");
  const CliResult r = run_cli("demo --epochs 1 --no-progress --out-dir " + quoted(dir.file("out")), dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  for (const char* part : {"MAE", "RMSE", "sMAPE", "MASE", "train s", "naive (repeat last)", "+ dropout"})
    CHECK_MESSAGE(contains(r.out, part), "the table lacks " << part);
  const fs::path svg = dir.path / "out" / "demo_forecast.svg";
  CHECK(contains(r.out, svg.string()));
  std::ifstream in(svg);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  CHECK(text.rfind("<svg", 0) == 0);
  CHECK(contains(text, "</svg>"));
  int polylines = 0;
  for (size_t at = text.find("<polyline"); at != std::string::npos; at = text.find("<polyline", at + 1))
    ++polylines;
  CHECK(polylines >= 3);  // actual and the two models (a line breaks where no forecast covers a row)
}
