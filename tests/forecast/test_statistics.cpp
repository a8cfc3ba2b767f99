// The statistics against SciPy's values for the same inputs (tests/fixtures/statistics/statistics.json,
// written by tools/fixtures/make_statistics_fixtures.py) and against hand-checkable cases.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "synapse/core/error.hpp"
#include "synapse/forecast/statistics.hpp"

using namespace syn;
using namespace syn::forecast;
using doctest::Approx;

namespace {

// SciPy's values for one kind of test (a reference into the fixture file, read once).
const nlohmann::json& fixtures(const char* kind) {
  static const nlohmann::json all = [] {
    std::ifstream in(std::string(SYN_FIXTURE_DIR) + "/statistics/statistics.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  const nlohmann::json& cases = all.at(kind);
  REQUIRE(cases.size() >= 2);
  return cases;
}

std::vector<double> doubles(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

}  // namespace

TEST_CASE("statistics: mean and t confidence interval match SciPy") {
  for (const auto& c : fixtures("mean_ci")) {
    const MeanCi m = mean_ci(doubles(c["values"]));
    CHECK(m.mean == Approx(c["mean"].get<double>()).epsilon(1e-12));
    CHECK(m.half_width == Approx(c["half_width"].get<double>()).epsilon(1e-10));
  }
  const MeanCi one = mean_ci(std::vector<double>{3.0});
  CHECK(one.mean == 3.0);
  CHECK(std::isnan(one.half_width));
  CHECK_THROWS_AS(mean_ci(std::vector<double>{}), ValueError);
}

TEST_CASE("statistics: average ranks average the ties") {
  CHECK(average_ranks_of(std::vector<double>{3, 1, 2}) == std::vector<double>{3, 1, 2});
  CHECK(average_ranks_of(std::vector<double>{2, 1, 2, 5}) == std::vector<double>{2.5, 1, 2.5, 4});
}

TEST_CASE("statistics: Friedman statistic, p-value and average ranks match SciPy") {
  for (const auto& c : fixtures("friedman")) {
    const auto table = c["table"].get<std::vector<std::vector<double>>>();
    const FriedmanResult r = friedman(table);
    CHECK(r.statistic == Approx(c["statistic"].get<double>()).epsilon(1e-10));
    CHECK(r.p_value == Approx(c["p_value"].get<double>()).epsilon(1e-9));
    const std::vector<double> ranks = doubles(c["average_ranks"]);
    REQUIRE(r.average_ranks.size() == ranks.size());
    for (size_t j = 0; j < ranks.size(); ++j) CHECK(r.average_ranks[j] == Approx(ranks[j]));
  }
  CHECK_THROWS_AS(friedman({{1, 2}, {2, 1}}), ValueError);  // two methods
  CHECK_THROWS_AS(friedman({{1, 2, 3}}), ValueError);       // one block
  CHECK_THROWS_AS(friedman({{1, 2, 3}, {1, 2}}), ValueError);
}

TEST_CASE("statistics: Nemenyi q matches SciPy's studentized range over sqrt 2") {
  for (const auto& c : fixtures("nemenyi_q")) {
    CAPTURE(c.dump());
    CHECK(nemenyi_q(c["k"].get<int64_t>(), c["alpha"].get<double>()) == Approx(c["q"].get<double>()).epsilon(1e-6));
  }
  // Demšar (2006), Table 5: k = 4, N = 14 data sets gives CD = 2.569 * sqrt(4 * 5 / (6 * 14)).
  CHECK(nemenyi_critical_difference(4, 14) == Approx(2.569 * std::sqrt(20.0 / 84)).epsilon(1e-3));
  CHECK_THROWS_AS(nemenyi_q(1), ValueError);
}

TEST_CASE("statistics: Wilcoxon signed-rank matches SciPy, exact and approximate") {
  for (const auto& c : fixtures("wilcoxon")) {
    CAPTURE(c.dump());
    const WilcoxonResult r = wilcoxon_signed_rank(doubles(c["x"]), doubles(c["y"]));
    CHECK(r.exact == c["exact"].get<bool>());
    CHECK(r.statistic == Approx(c["statistic"].get<double>()));
    CHECK(r.p_value == Approx(c["p_value"].get<double>()).epsilon(1e-9));
  }
  const std::vector<double> same = {1, 2, 3};
  const WilcoxonResult none = wilcoxon_signed_rank(same, same);
  CHECK(none.n == 0);
  CHECK(none.p_value == 1.0);
  CHECK_THROWS_AS(wilcoxon_signed_rank(same, std::vector<double>{1, 2}), ShapeError);
}

TEST_CASE("statistics: Holm's adjustment is step-down and monotone") {
  for (const auto& c : fixtures("holm")) {
    const std::vector<double> adjusted = holm_adjust(doubles(c["p"]));
    const std::vector<double> expected = doubles(c["adjusted"]);
    REQUIRE(adjusted.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) CHECK(adjusted[i] == Approx(expected[i]));
  }
  // 0.005 * 4, max(0.01 * 3, 0.02), max(0.03 * 2, 0.03), max(0.04, 0.06)
  CHECK(holm_adjust(std::vector<double>{0.01, 0.04, 0.03, 0.005}) == std::vector<double>{0.03, 0.06, 0.06, 0.02});
}
