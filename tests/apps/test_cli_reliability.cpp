// The bad-input catalogue of docs/reliability.md, run through the `synapse` binary: every case has an
// id, the input, the exit status expected and the parts its message must hold. The last case checks
// that docs/reliability.md has a row for every id here (Note [Bad-input catalogue]).
//
// Note [Bad-input catalogue]
// docs/reliability.md lists every bad input tried, one row per case, each naming the test that
// checks it. The CSV, config and command-line rows are the tables of this file (their ids are checked
// against the document); checkpoint, pruning, numeric and crash rows name the doctest case in
// tests/train or tests/apps that checks them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli_checks.hpp"
#include "apps/cli_runner.hpp"
#include "support/temp_dir.hpp"

using namespace syn::testing;
namespace fs = std::filesystem;

namespace {

// 200 rows of "t,y" with a smooth y, its lines ("t,y" first), for the CSV cases to edit.
std::vector<std::string> series_lines() {
  std::vector<std::string> out = {"t,y"};
  for (int i = 0; i < 200; ++i) {
    std::ostringstream line;
    line.precision(10);
    line << i << ',' << 20 + 10 * std::sin(i / 5.0);
    out.push_back(line.str());
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines, const std::string& eol = "\n") {
  std::string out;
  for (const std::string& l : lines) out += l + eol;
  return out;
}

// The series with line `index` (1-based data row) replaced.
std::string with_row(size_t index, const std::string& row) {
  std::vector<std::string> lines = series_lines();
  lines[index] = row;
  return joined(lines);
}

// The series with `y` replaced by f(i).
std::string series_of(const std::function<std::string(int)>& f) {
  std::vector<std::string> lines = {"t,y"};
  for (int i = 0; i < 200; ++i) lines.push_back(std::to_string(i) + "," + f(i));
  return joined(lines);
}

struct CsvCase {
  const char* id;
  std::string text;  // the file's bytes
  std::string args;  // extra train options
  int status;        // 2, or 0 for a file that must train
  std::vector<std::string> parts;
};

const std::string kTrain = " --model linear --lookback 7 --horizon 3 --epochs 1 --no-progress";

std::vector<CsvCase> csv_cases() {
  std::string nul_row = "50,1";
  nul_row += '\0';
  nul_row += "2";
  return {
      {"csv-empty", "", "", 2, {"f.csv is empty", "expected a header row"}},
      {"csv-header-only", "t,y\n", "", 2, {"f.csv has a header (line 1) but no data rows"}},
      {"csv-ragged", with_row(3, "2,3,4"), "", 2, {"f.csv line 4: 3 fields, expected 2"}},
      {"csv-non-numeric", with_row(10, "9,abc"), "", 2, {"f.csv line 11: column 'y' (column 2) has 'abc'"}},
      {"csv-unknown-target", joined(series_lines()), "--target nope", 2, {"no target column 'nope'", "t, y"}},
      {"csv-duplicate-column", "t,y,y\n1,2,3\n", "", 2, {"line 1: duplicate column name 'y' (columns 2 and 3)"}},
      {"csv-duplicate-feature", joined(series_lines()), "--features t,t", 2, {"feature 't' is listed twice"}},
      {"csv-all-missing-target", series_of([](int) { return ""; }), "", 2,
       {"f.csv line 2: missing value in column 'y'", "--missing"}},
      {"csv-all-missing-dropped", series_of([](int) { return "NA"; }), "--missing drop", 2, {"no row of", "f.csv"}},
      {"csv-too-few-rows", "t,y\n1,2\n2,3\n3,4\n", "", 2, {"f.csv: 3 rows", "fewer than lookback 7 + horizon 3"}},
      {"csv-bom", "\xEF\xBB\xBF" + joined(series_lines()), "", 0, {}},
      {"csv-crlf", joined(series_lines(), "\r\n"), "", 0, {}},
      {"csv-utf16", "\xFF\xFEt\0", "", 2, {"f.csv", "UTF-16"}},
      {"csv-unclosed-quote", with_row(5, "4,\"12"), "", 2, {"f.csv line 6: field 2 opens a quote that is never closed"}},
      {"csv-nul-byte", with_row(50, nul_row), "", 2, {"f.csv line 51: column 'y' (column 2) has '1\\02' (expected"}},
      {"csv-long-field", with_row(50, "50," + std::string(1 << 20, '1')), "", 2,
       {"has '" + std::string(60, '1') + "'... (1048576 bytes) (expected a number"}},
      {"csv-long-header", "t," + std::string(1 << 20, 'y') + "\n1,2\n", "", 2,
       {"no target column 'y'", std::string(60, 'y') + "... (1048576 bytes)"}},
      {"csv-huge-values", series_of([](int i) { return i % 2 ? "1e308" : "-1e308"; }), "", 2,
       {"f.csv", "too wide to scale in double precision"}},
      {"csv-infinity", with_row(60, "59,inf"), "", 2, {"f.csv line 61: column 'y' (column 2) has 'inf'"}},
      {"csv-nan-fail", with_row(60, "59,nan"), "", 2, {"f.csv line 61: missing value in column 'y'"}},
      {"csv-nan-ffill", with_row(60, "59,nan"), "--missing ffill", 0, {}},
      {"csv-denormals", series_of([](int i) { return std::to_string(i % 7) + "e-310"; }), "", 0, {}},
      {"csv-mape-zero-negative", series_of([](int i) { return std::to_string(i % 5 - 2); }), "", 0, {}},
  };
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `synapse args`: the status and message parts expected; for status 0 also a test score that is a
// finite number (never a silent NaN).
void expect_outcome(const std::string& id, const std::string& args, const TempDir& dir, int status,
                    const std::vector<std::string>& parts) {
  const CliResult r = run_cli(args, dir.path);
  INFO(id << ": synapse " << args.substr(0, 300) << "\nstderr: " << r.err.substr(0, 2000));
  CHECK(r.status == status);
  CHECK(r.err.size() < 2000);  // never an input echoed whole
  for (const std::string& p : parts) CHECK_MESSAGE(contains(r.err, p), "missing '" << p << "'");
  if (status == 0) {
    const nlohmann::json out = nlohmann::json::parse(r.out);
    CHECK(out["metrics"]["mae"].is_number());
  } else {
    CHECK(r.out.empty());
  }
}

struct CliCase {
  const char* id;
  std::string args;  // after the train base command on a good file
  std::vector<std::string> parts;
};

// Every numeric option at 0, negative and huge where that is out of range (exit 2 naming the option).
// `file` is an existing file for the options that check for one.
std::vector<CliCase> option_cases(const std::string& file) {
  return {
      {"cli-lookback-zero", "--lookback 0", {"--lookback", "got '0'"}},
      {"cli-lookback-negative", "--lookback -5", {"--lookback", "got '-5'"}},
      {"cli-lookback-huge", "--lookback 1000000000000000", {"200 rows", "fewer than lookback 1000000000000000"}},
      {"cli-lookback-overflow", "--lookback 99999999999999999999", {"--lookback", "99999999999999999999"}},
      {"cli-horizon-zero", "--horizon 0", {"--horizon", "got '0'"}},
      {"cli-horizon-huge", "--horizon 1000000000000000", {"fewer than lookback 7 + horizon 1000000000000000"}},
      {"cli-epochs-zero", "--epochs 0", {"--epochs", "got '0'"}},
      {"cli-epochs-negative", "--epochs -1", {"--epochs", "got '-1'"}},
      {"cli-batch-zero", "--batch 0", {"--batch", "got '0'"}},
      {"cli-lr-zero", "--lr 0", {"--lr", "got '0'"}},
      {"cli-lr-negative", "--lr -1e-3", {"--lr", "got '-1e-3'"}},
      {"cli-lr-nan", "--lr nan", {"--lr", "nan"}},
      {"cli-dropout-one", "--dropout 1", {"--dropout"}},
      {"cli-dropout-negative", "--dropout -0.1", {"--dropout"}},
      {"cli-mc-samples-zero", "--mc-samples 0", {"--mc-samples", "got '0'"}},
      {"cli-weight-decay-negative", "--weight-decay -1", {"--weight-decay"}},
      {"cli-momentum-negative", "--optimizer sgd --momentum -0.5", {"--momentum"}},
      {"cli-clip-negative", "--clip -1", {"--clip"}},
      {"cli-patience-zero", "--patience 0", {"--patience", "got '0'"}},
      {"cli-seed-negative", "--seed -1", {"--seed", "-1"}},
      {"cli-checkpoint-every-zero", "--checkpoint-every 0", {"--checkpoint-every", "got '0'"}},
      {"cli-conflict-patience", "--no-early-stopping --patience 3", {"--no-early-stopping", "--patience"}},
      {"cli-conflict-resume-init", "--resume " + quoted(file) + " --init-weights " + quoted(file),
       {"--init-weights excludes --resume"}},
      {"cli-model-opt-unknown", "--model-opt hiden_size=3", {"--model-opt", "unknown key 'hiden_size'"}},
      {"cli-model-opt-bad-value", "--model-opt seed=abc", {"--model-opt", "abc"}},
      {"cli-unknown-option", "--bogus 1", {"--bogus"}},
  };
}

// The --config cases: the file's text (empty: a missing file).
std::vector<CsvCase> config_cases() {
  return {
      {"config-not-json", "{\"lookback\": 7,", "", 2, {"c.json", "is not valid JSON"}},
      {"config-not-object", "[1, 2]", "", 2, {"c.json", "must hold one JSON object"}},
      // Found by fuzz_json_config: a number too large for a double is JSON's out_of_range, not a parse error.
      {"config-number-overflow", "{\"lookback\": 1e999}", "", 2, {"c.json", "is not valid JSON", "1e999"}},
      {"config-unknown-key", "{\"lookbak\": 7}", "", 2, {"c.json", "'lookbak' is not an option of synapse train"}},
      {"config-wrong-type", "{\"lookback\": {\"a\": 1}}", "", 2, {"c.json", "key 'lookback' must be a string"}},
      {"config-wrong-type-value", "{\"lookback\": \"seven\"}", "", 2, {"--lookback", "seven"}},
      {"config-out-of-range", "{\"dropout\": 1.5}", "", 2, {"--dropout", "1.5"}},
      {"config-nul-in-key", std::string("{\"look\\u0000back\": 7}"), "", 2, {"c.json", "look\\0back"}},
      {"config-huge-key", "{\"" + std::string(1 << 20, 'k') + "\": 1}", "", 2,
       {"c.json", std::string(60, 'k') + "'... (1048576 bytes)"}},
      {"config-missing-file", "", "", 2, {"absent.json was not readable"}},
    };
}

// Output paths that cannot be written, in `dir` (which holds a directory "adir").
std::vector<CliCase> output_cases(const TempDir& dir) {
  return {
      {"out-missing-directory", "--out " + quoted(dir.file("none/m.syn")), {"--out: cannot write", "does not exist"}},
      {"out-is-directory", "--out " + quoted(dir.file("adir")), {"--out: cannot write", "is a directory"}},
      {"log-missing-directory", "--out m.syn --log " + quoted(dir.file("none/l.jsonl")), {"--log: cannot write"}},
      {"checkpoint-every-missing-directory",
       "--out " + quoted(dir.file("m.syn")) + " --checkpoint-every 1 --checkpoint-file " + quoted(dir.file("none/c.ckpt")),
       {"--checkpoint-file: cannot write"}},
    };
}

}  // namespace

TEST_CASE("reliability: bad CSV files exit 2 naming the file, line and column, good oddities train") {
  TempDir dir("reliability_csv");
  for (const CsvCase& c : csv_cases()) {
    const fs::path file = dir.path / "f.csv";
    std::ofstream(file, std::ios::binary).write(c.text.data(), static_cast<std::streamsize>(c.text.size()));
    const std::string target = contains(c.args, "--target") ? "" : " --target y";
    expect_outcome(c.id,
                   "train --data " + quoted(file.string()) + target + kTrain + " " + c.args + " --out " +
                       quoted(dir.file("m.syn")),
                   dir, c.status, c.parts);
  }
}

TEST_CASE("reliability: MAPE skips zero actuals and says how many, on negative and zero values") {
  TempDir dir("reliability_mape");
  const std::string file = dir.write("f.csv", series_of([](int i) { return std::to_string(i % 5 - 2); }));
  const CliResult r = run_cli("train --data " + quoted(file) + " --target y" + kTrain + " --out " +
                                  quoted(dir.file("m.syn")),
                              dir.path);
  REQUIRE(r.status == 0);
  const nlohmann::json m = nlohmann::json::parse(r.out)["metrics"];
  CHECK(m["mape_skipped"].get<int>() > 0);
  CHECK(m["mape"].is_number());
  CHECK(std::isfinite(m["mape"].get<double>()));
}

TEST_CASE("reliability: out-of-range, conflicting and unknown options exit 2 naming the option") {
  TempDir dir("reliability_cli");
  const std::string file = dir.write("f.csv", joined(series_lines()));
  for (const CliCase& c : option_cases(file)) {
    const std::string base = "train --data " + quoted(file) + " --target y --model linear --epochs 1 --no-progress";
    const std::string shape = contains(c.args, "--lookback") || contains(c.args, "--horizon") ? "" : " --lookback 7 --horizon 3";
    const std::string lookback = contains(c.args, "--lookback") ? " --horizon 3" : "";
    const std::string horizon = contains(c.args, "--horizon") ? " --lookback 7" : "";
    expect_outcome(c.id, base + shape + lookback + horizon + " " + c.args + " --out " + quoted(dir.file("m.syn")),
                   dir, 2, c.parts);
  }
}

TEST_CASE("reliability: bad --config files exit 2 naming the file and the key") {
  TempDir dir("reliability_config");
  const std::string file = dir.write("f.csv", joined(series_lines()));
  const std::string base = "train --data " + quoted(file) + " --target y --model linear --epochs 1 --no-progress --out " +
                           quoted(dir.file("m.syn")) + " --config ";
  for (const CsvCase& c : config_cases()) {
    const std::string config = c.text.empty() ? dir.file("absent.json") : dir.write("c.json", c.text);
    expect_outcome(c.id, base + quoted(config), dir, c.status, c.parts);
  }
}

TEST_CASE("reliability: output paths are checked before any work") {
  TempDir dir("reliability_out");
  const std::string file = dir.write("f.csv", joined(series_lines()));
  fs::create_directories(dir.path / "adir");
  const std::string base = "train --data " + quoted(file) + " --target y" + kTrain;
  for (const CliCase& c : output_cases(dir)) {
    const CliResult r = run_cli(base + " " + c.args, dir.path);
    INFO(c.id << ": " << r.err);
    CHECK(r.status == 2);
    for (const std::string& p : c.parts) CHECK_MESSAGE(contains(r.err, p), "missing '" << p << "'");
    CHECK(!contains(r.err, "training windows"));  // stopped before the data was even prepared
  }
  // An unwritable directory (not for root, who may write anywhere).
  if (geteuid() != 0) {
    fs::create_directories(dir.path / "ro");
    fs::permissions(dir.path / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    const CliResult r = run_cli(base + " --out " + quoted(dir.file("ro/m.syn")), dir.path);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--out: cannot write"));
    fs::permissions(dir.path / "ro", fs::perms::owner_all);
  }
}

TEST_CASE("reliability: docs/reliability.md has a row for every case of this file") {
  const char* root = std::getenv("SYN_SOURCE_DIR");  // set by ctest
  const fs::path source = root && *root ? fs::path(root) : fs::path(__FILE__).parent_path() / ".." / "..";
  const std::string doc = read_text(source / "docs" / "reliability.md");
  REQUIRE(!doc.empty());
  TempDir dir("reliability_doc");
  std::vector<std::string> ids;
  for (const CsvCase& c : csv_cases()) ids.push_back(c.id);
  for (const CliCase& c : option_cases("f.csv")) ids.push_back(c.id);
  for (const CsvCase& c : config_cases()) ids.push_back(c.id);
  for (const CliCase& c : output_cases(dir)) ids.push_back(c.id);
  for (const std::string& id : ids) CHECK_MESSAGE(contains(doc, "| `" + id + "` |"), "no row for " << id);
}
