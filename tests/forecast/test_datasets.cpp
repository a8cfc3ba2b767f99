// The four real datasets (Note [Data directory]). When one is missing its test is skipped, or fails
// with CI=true (Note [Tests that need a real dataset] in tests/support/data.hpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <optional>

#include "support/data.hpp"
#include "synapse/core/error.hpp"
#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/data_dir.hpp"
#include "synapse/forecast/selection.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;
using syn::testing::require_dataset;

namespace {

int64_t count_nan(const std::vector<double>& v) {
  int64_t n = 0;
  for (double x : v) n += std::isnan(x);
  return n;
}

// Sets (or, with nullopt, unsets) an environment variable for the scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("data_dir: SYN_DATA_DIR first, then ../shared/data, with a clear error") {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / "synapse_test_data_dir";
  fs::remove_all(root);
  fs::create_directories(root / "checkout");
  {
    ScopedEnv data("SYN_DATA_DIR", (root / "nope").string());
    CHECK_THROWS_WITH_AS(
        data_dir(),
        Contains(("SYN_DATA_DIR is '" + (root / "nope").string() + "', which is not a directory").c_str()),
        ValueError);
  }
  {
    ScopedEnv data("SYN_DATA_DIR", std::nullopt);
    ScopedEnv source("SYN_SOURCE_DIR", (root / "checkout").string());
    const fs::path cwd = fs::current_path();
    fs::current_path(root / "checkout");
    CHECK_THROWS_WITH_AS(data_dir(), Contains("the dataset folder was not found"), ValueError);
    CHECK_THROWS_WITH(data_dir(), Contains((root / "checkout" / ".." / "shared" / "data").c_str()));
    fs::create_directories(root / "shared" / "data");
    CHECK(fs::equivalent(data_dir(), root / "shared" / "data"));
    CHECK_THROWS_WITH_AS(data_file("absent.csv"), Contains("absent.csv' does not exist"), ValueError);
    fs::current_path(cwd);
  }
  fs::remove_all(root);
}

TEST_CASE("datasets: bitcoin.csv, target close") {
  const std::optional<std::string> path = require_dataset("bitcoin.csv");
  if (!path) return;
  Table t = read_csv(*path);
  CHECK(t.rows() == 365);
  CHECK(t.names() == std::vector<std::string>{"open", "high", "low", "close", "volume", "marketCap"});
  Series s = select_series(t, {"close", {}, MissingPolicy::fail});
  REQUIRE(s.rows() == 365);
  CHECK(s.cols() == 1);
  CHECK(s.at(0, 0) == 64276.8974153965);
  CHECK(s.at(99, 0) == 65357.5015625505);  // 2024-08-01
  CHECK(s.at(364, 0) == 93456.0);
  CHECK(s.timestamps.front() == "2024-04-24T00:00:00.000Z");
  CHECK(s.timestamps.back() == "2025-04-23T00:00:00.000Z");
}

TEST_CASE("datasets: AAPL_data.csv, target close, the text column Name") {
  const std::optional<std::string> path = require_dataset("AAPL_data.csv");
  if (!path) return;
  CHECK_THROWS_WITH_AS(read_csv(*path),
                       Contains("column 'Name' (column 7) holds text, e.g. 'AAPL' on line 2"), ValueError);
  CsvOptions options;
  options.ignore = {"Name"};
  Table t = read_csv(*path, options);
  CHECK(t.rows() == 1259);
  CHECK(t.names() == std::vector<std::string>{"open", "high", "low", "close", "volume"});
  Series s = select_series(t, {"close", {"open", "volume"}, MissingPolicy::fail});
  REQUIRE(s.rows() == 1259);
  CHECK(s.columns == std::vector<std::string>{"close", "open", "volume"});
  CHECK(s.at(0, 0) == 67.8542);
  CHECK(s.at(0, 1) == 67.7142);
  CHECK(s.at(0, 2) == 158168416.0);
  CHECK(s.at(99, 0) == 59.7842);  // 2013-07-02
  CHECK(s.at(1258, 0) == 159.54);
  CHECK(s.timestamps.back() == "2018-02-07");
}

TEST_CASE("datasets: AirQualityUCI.csv, target CO(GT), semicolon separator, decimal comma, -200 sentinels") {
  const std::optional<std::string> path = require_dataset("AirQualityUCI.csv");
  if (!path) return;
  CsvOptions options;
  options.missing_values = {-200};
  options.dates = DateHandling::calendar_cyclic;
  Table t = read_csv(*path, options);
  CHECK(t.rows() == 9357);  // the ;;;; rows and the two unnamed empty columns are gone
  CHECK(t.cols() == 13 + 6);
  CHECK(t.contains("AH"));
  CHECK(t.contains("hour_sin"));
  CHECK(t.lines().front() == 2);
  CHECK(t.lines().back() == 9358);
  CHECK(t.timestamps().front() == "10/03/2004 18.00.00");
  CHECK(t.timestamps().back() == "04/04/2005 14.00.00");
  const std::vector<double>& co = t.column("CO(GT)").numbers;
  CHECK(co[0] == 2.6);
  CHECK(co[1] == 2.0);
  CHECK(co[9356] == 2.2);
  CHECK(std::isnan(co[10]));     // 11/03/2004 04.00.00 is -200
  CHECK(count_nan(co) == 1683);  // "-200" and "-200,0"
  CHECK(t.column("AH").numbers[0] == 0.7578);
  CHECK(t.column("T").numbers[0] == 13.6);
  CHECK(t.column("hour_sin").numbers[0] == doctest::Approx(std::sin(2 * std::numbers::pi * 18 / 24)));

  CHECK_THROWS_WITH_AS(select_series(t, {"CO(GT)", {}, MissingPolicy::fail}),
                       Contains("AirQualityUCI.csv line 12: missing value in column 'CO(GT)'"), ValueError);
  Series dropped = select_series(t, {"CO(GT)", {}, MissingPolicy::drop_rows});
  CHECK(dropped.rows() == 9357 - 1683);
  double sum = 0;
  for (double v : dropped.values) sum += v;
  CHECK(sum / static_cast<double>(dropped.rows()) == doctest::Approx(2.1527495439145157).epsilon(1e-12));
  Series filled = select_series(t, {"CO(GT)", {}, MissingPolicy::forward_fill});
  CHECK(filled.rows() == 9357);
  CHECK(filled.at(10, 0) == co[9]);
}

TEST_CASE("datasets: ETTh1.csv, target OT, seven numeric columns") {
  const std::optional<std::string> path = require_dataset("ETTh1.csv");
  if (!path) return;
  Table t = read_csv(*path);
  CHECK(t.rows() == 17420);
  CHECK(numeric_columns(t) == std::vector<std::string>{"HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT"});
  Series s = select_series(t, {"OT", numeric_columns(t), MissingPolicy::fail});
  REQUIRE(s.rows() == 17420);
  CHECK(s.columns == std::vector<std::string>{"OT", "HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL"});
  CHECK(s.at(0, 0) == 30.5310001373291);
  CHECK(s.at(0, 1) == 5.827000141143799);
  CHECK(s.at(5000, 0) == 6.261000156402588);
  CHECK(s.timestamps[5000] == "2017-01-25 08:00:00");
  CHECK(s.at(17419, 0) == 9.56700038909912);
}
