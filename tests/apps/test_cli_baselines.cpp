// `synapse train` and `eval` beside the baselines (Note [Honest results]): the naive and
// seasonal-naive scores, mae_vs_naive and the warnings; --transform diff on a trending series;
// eval reproducing train for MC dropout; settings that would not change the model are errors.
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

// A daily series rising steadily (0.5 a day) with a weekly cycle and noise: the test part lies far
// above the training range.
std::string write_trending_csv(const std::string& path, int rows = 600) {
  std::ofstream out(path);
  out << "date,y\n";
  uint64_t state = 12345;
  for (int i = 0; i < rows; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double noise = static_cast<double>(state >> 40) / static_cast<double>(1ULL << 24) - 0.5;
    const int day = 1 + i % 28, month = 1 + (i / 28) % 12, year = 2000 + i / (28 * 12);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    out << date << ',' << 100 + 0.5 * i + 5 * std::sin(2 * M_PI * i / 7) + noise << '\n';
  }
  return path;
}

json run_ok(const std::string& args, const TempDir& dir, std::string* err = nullptr) {
  const CliResult r = run_cli(args, dir.path);
  INFO("synapse " << args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  if (err) *err = r.err;
  return json::parse(r.out);
}

std::string trend_run(const TempDir& dir, const std::string& extra, int epochs = 15) {
  return "train --data " + quoted(write_trending_csv(dir.file("trend.csv"))) +
         " --target y --model lstm --lookback 14 --horizon 3 --epochs " + std::to_string(epochs) +
         " --model-opt hidden_size=16"
         " --model-opt num_layers=1 --seed 2 --out " + quoted(dir.file("t.syn")) + " " + extra;
}

}  // namespace

TEST_CASE("cli baselines: train reports the naive and seasonal-naive scores, mae_vs_naive and the MASE scale") {
  TempDir dir("baselines_scores");
  std::string err;
  const json j = run_ok("train --data " + quoted(write_synthetic_csv(dir.file("s.csv"), 24 * 40)) +
                            " --target demand --model linear --lookback 48 --horizon 6 --epochs 3 --out " +
                            quoted(dir.file("m.syn")),
                        dir, &err);
  const json& m = j.at("metrics");
  const json& b = j.at("baselines");
  CHECK(b.at("season") == 24);
  CHECK(contains(b.at("season_from").get<std::string>(), "hourly"));
  const double naive = b.at("naive").at("mae").get<double>();
  CHECK(naive > 0);
  CHECK(m.at("mae_vs_naive").get<double>() == doctest::Approx(m.at("mae").get<double>() / naive));
  CHECK(m.at("mae_vs_seasonal_naive").get<double>() ==
        doctest::Approx(m.at("mae").get<double>() / b.at("seasonal_naive").at("mae").get<double>()));
  CHECK(m.at("mase_scale").at("part") == "train");
  CHECK(m.at("mase").get<double>() ==
        doctest::Approx(m.at("mae").get<double>() / m.at("mase_scale").at("naive_one_step_mae").get<double>()));
  CHECK(b.at("naive").at("count") == m.at("count"));
  CHECK(j.at("warnings").is_array());
  for (const char* part : {"naive (last value)", "seasonal naive (24)", "mae_vs_naive", "one-step naive MAE of the training part"})
    CHECK_MESSAGE(contains(err, part), "stderr lacks " << part);

  // --season 0: no seasonal baseline; eval states the same numbers.
  const json e = run_ok("eval " + quoted(dir.file("m.syn")) + " --data " + quoted(dir.file("s.csv")) + " --season 0",
                        dir);
  CHECK(e.at("baselines").at("seasonal_naive").is_null());
  CHECK(e.at("baselines").at("naive") == b.at("naive"));
  CHECK(e.at("metrics").at("mae_vs_naive") == m.at("mae_vs_naive"));
}

TEST_CASE("cli baselines: a trending series warns worse-than-naive and extrapolation, and --transform diff fixes it") {
  TempDir dir("baselines_trend");
  std::string err;
  const json plain = run_ok(trend_run(dir, ""), dir, &err);
  CHECK(plain.at("transform") == "none");
  const double plain_skill = plain.at("metrics").at("mae_vs_naive").get<double>();
  CHECK(plain_skill > 2);
  const std::string warnings = plain.at("warnings").dump();
  CHECK(contains(warnings, "worse than the naive forecast"));
  CHECK(contains(warnings, "outside the training part's range"));
  CHECK(contains(warnings, "--transform diff"));
  CHECK(contains(err, "warning: the model is worse than the naive forecast"));

  const json diff = run_ok(trend_run(dir, "--transform diff"), dir, &err);
  CHECK(diff.at("transform") == "diff");
  const double diff_skill = diff.at("metrics").at("mae_vs_naive").get<double>();
  CHECK(diff_skill < 1);
  CHECK(diff.at("metrics").at("mae").get<double>() < plain.at("metrics").at("mae").get<double>() / 10);
  CHECK(!contains(diff.at("warnings").dump(), "worse than the naive"));

  // eval and predict undo the saved transform: eval reproduces train, the last forecast is near the
  // last level of the file (about 400).
  const json e = run_ok("eval " + quoted(dir.file("t.syn")) + " --data " + quoted(dir.file("trend.csv")), dir);
  CHECK(e.at("metrics") == diff.at("metrics"));
  CHECK(e.at("transform") == "diff");
  const CliResult p = run_cli("predict " + quoted(dir.file("t.syn")) + " --data " + quoted(dir.file("trend.csv")), dir.path);
  REQUIRE(p.status == 0);
  const std::vector<std::string> rows = lines(p.out);
  CHECK(rows.size() == 1 + 600 - 14);  // the first row only starts the differences
  const std::string last = rows.back();
  const double t1 = std::stod(last.substr(last.find(',') + 1));
  CHECK(std::abs(t1 - (100 + 0.5 * 599)) < 15);

  // RevIN for an LSTM helps too and is saved.
  const json revin = run_ok(trend_run(dir, "--model-opt revin=true"), dir);
  CHECK(revin.at("revin") == true);
  CHECK(revin.at("metrics").at("mae_vs_naive").get<double>() < 1.5);
  const json inspect = run_ok("inspect --json " + quoted(dir.file("t.syn")), dir);
  CHECK(contains(inspect.at("tensors").dump(), "revin.affine_weight"));
}

TEST_CASE("cli baselines: --transform logdiff needs a positive target and is kept by eval") {
  TempDir dir("baselines_logdiff");
  const json j = run_ok(trend_run(dir, "--transform logdiff", 3), dir);
  CHECK(j.at("transform") == "logdiff");
  const json e = run_ok("eval --model-file " + quoted(dir.file("t.syn")) + " --data " + quoted(dir.file("trend.csv")), dir);
  CHECK(e.at("metrics") == j.at("metrics"));
  std::ofstream(dir.file("neg.csv")) << "y\n1\n2\n-1\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";
  expect_bad("train --data " + quoted(dir.file("neg.csv")) + " --target y --model linear --lookback 2 --horizon 1"
             " --transform logdiff --out " + quoted(dir.file("n.syn")),
             dir, {"--transform logdiff", "'y'", "--transform diff"});
}

TEST_CASE("cli baselines: eval reproduces train's metrics exactly for MC dropout, and --seed draws other passes") {
  TempDir dir("baselines_mc");
  const std::string data = quoted(write_synthetic_csv(dir.file("s.csv"), 24 * 30));
  const json t = run_ok("train --data " + data + " --target demand --model lstm --lookback 24 --horizon 4 --epochs 2"
                        " --model-opt hidden_size=8 --model-opt num_layers=1 --reg mc-dropout --mc-samples 4"
                        " --out " + quoted(dir.file("mc.syn")),
                        dir);
  std::string err;
  const json e = run_ok("eval " + quoted(dir.file("mc.syn")) + " --data " + data, dir, &err);
  CHECK(e.at("metrics") == t.at("metrics"));
  CHECK(contains(err, "MC dropout: "));
  const json again = run_ok("eval " + quoted(dir.file("mc.syn")) + " --data " + data + " --quiet", dir, &err);
  CHECK(again.at("metrics") == t.at("metrics"));
  for (const std::string& line : lines(err)) CHECK_MESSAGE(line.rfind("warning: ", 0) == 0, line);  // --quiet
  const json other = run_ok("eval " + quoted(dir.file("mc.syn")) + " --data " + data + " --seed 99", dir);
  CHECK(other.at("metrics").at("mae") != t.at("metrics").at("mae"));
}

TEST_CASE("cli baselines: settings that would not change the model are errors naming the option") {
  TempDir dir("baselines_applies");
  const std::string base = "train --data " + quoted(write_synthetic_csv(dir.file("s.csv"), 200)) +
                           " --target demand --lookback 8 --horizon 2 --epochs 1 --out " + quoted(dir.file("m.syn"));
  expect_bad(base + " --model lstm --dropout 0.3", dir, {"--dropout", "--reg none", "--reg dropout"});
  expect_bad(base + " --model lstm --reg dropout --mc-samples 5", dir, {"--mc-samples", "--reg mc-dropout"});
  expect_bad(base + " --model lstm --momentum 0.9", dir, {"--momentum", "--optimizer sgd"});
  expect_bad(base + " --model lstm --model-opt d_model=32", dir, {"--model-opt d_model=32", "lstm"});
  expect_bad(base + " --model patchtst --model-opt hidden_size=8", dir, {"hidden_size", "patchtst"});
  expect_bad(base + " --model gru --model-opt nonlinearity=relu", dir, {"nonlinearity", "gru"});
  const json ok = run_ok(base + " --model gru --reg dropout --dropout 0.3 --model-opt revin=true --model-opt hidden_size=4", dir);
  CHECK(ok.at("revin") == true);
}
