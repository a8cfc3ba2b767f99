#include <doctest/doctest.h>

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/selection.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Contains;

namespace {
Table sample() {
  CsvOptions options;
  options.text_columns = {"name"};
  return parse_csv(
      "date,a,b,c,name\n"
      "2020-01-01,1,10,,x\n"
      "2020-01-02,2,,200,y\n"
      "2020-01-03,,30,300,z\n"
      "2020-01-04,4,40,400,w\n",
      options, "s.csv");
}
}  // namespace

TEST_CASE("select: univariate target, multivariate with the target first") {
  const Table t = sample();
  Series uni = select_series(t, {"b", {}, MissingPolicy::drop_rows});
  CHECK(uni.columns == std::vector<std::string>{"b"});
  CHECK(uni.values == std::vector<double>{10, 30, 40});
  CHECK(uni.timestamps == std::vector<std::string>{"2020-01-01", "2020-01-03", "2020-01-04"});
  Series multi = select_series(t, {"a", {"b", "a"}, MissingPolicy::drop_rows});
  CHECK(multi.columns == std::vector<std::string>{"a", "b"});
  CHECK(multi.rows() == 2);
  CHECK(multi.values == std::vector<double>{1, 10, 4, 40});
  CHECK(multi.column(1) == std::vector<double>{10, 40});
  CHECK_THROWS_AS(multi.column(2), IndexError);
  CHECK(numeric_columns(t) == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("select: missing-value policies apply to the selected columns only") {
  const Table t = sample();
  // Column c's missing value on line 2 does not matter when c is not selected.
  CHECK_THROWS_WITH_AS(select_series(t, {"a", {}, MissingPolicy::fail}),
                       Contains("s.csv line 4: missing value in column 'a' (--missing fail; give --missing drop"),
                       ValueError);
  CHECK_THROWS_WITH_AS(select_series(t, {"a", {"c"}, MissingPolicy::fail}),
                       Contains("s.csv line 2: missing value in column 'c'"), ValueError);
  Series filled = select_series(t, {"a", {"b"}, MissingPolicy::forward_fill});
  CHECK(filled.values == std::vector<double>{1, 10, 2, 10, 2, 30, 4, 40});
  // Forward fill removes the leading rows that have nothing above them.
  Series lead = select_series(t, {"c", {}, MissingPolicy::forward_fill});
  CHECK(lead.values == std::vector<double>{200, 300, 400});
  CHECK(lead.timestamps.front() == "2020-01-02");
  Series dropped = select_series(t, {"c", {"a", "b"}, MissingPolicy::drop_rows});
  CHECK(dropped.values == std::vector<double>{400, 4, 40});
  Table empty = parse_csv("x,y\nNA,1\n,2\n", {}, "e.csv");
  CHECK_THROWS_WITH_AS(select_series(empty, {"x", {}, MissingPolicy::drop_rows}),
                       Contains("no row of e.csv is left after removing missing values of x"), ValueError);
}

TEST_CASE("select: unknown, text, empty and repeated columns are errors") {
  const Table t = sample();
  CHECK_THROWS_WITH_AS(select_series(t, {"close", {}, MissingPolicy::fail}),
                       Contains("no target column 'close' in s.csv; available columns: a, b, c, name (text)"),
                       ValueError);
  CHECK_THROWS_WITH_AS(select_series(t, {"a", {"zz"}, MissingPolicy::fail}),
                       Contains("no feature column 'zz' in s.csv; available columns: a, b, c"), ValueError);
  CHECK_THROWS_WITH_AS(select_series(t, {"name", {}, MissingPolicy::fail}),
                       Contains("the target column 'name' of s.csv is text, not numeric"), ValueError);
  CHECK_THROWS_WITH_AS(select_series(t, {"a", {"name"}, MissingPolicy::fail}),
                       Contains("the feature column 'name' of s.csv is text"), ValueError);
  CHECK_THROWS_WITH_AS(select_series(t, {"", {}, MissingPolicy::fail}),
                       Contains("no target column given for s.csv; available columns"), ValueError);
  CHECK_THROWS_WITH_AS(select_series(t, {"a", {"b", "b"}, MissingPolicy::drop_rows}),
                       Contains("feature 'b' is listed twice"), ValueError);
  CHECK_THROWS_WITH_AS(t.column("nope"), Contains("s.csv: no column 'nope'; available columns: a, b"),
                       ValueError);
}
