#include "synapse/forecast/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/tools/roots.hpp>

#include "synapse/core/error.hpp"

namespace syn::forecast {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sizes of the groups of equal values (groups of one included).
std::vector<int64_t> tie_groups(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::vector<int64_t> groups;
  for (size_t i = 0; i < values.size();) {
    size_t j = i;
    while (j < values.size() && values[j] == values[i]) ++j;
    groups.push_back(static_cast<int64_t>(j - i));
    i = j;
  }
  return groups;
}

// P(range of k standard normals < q).
double studentized_range_cdf(double q, int64_t k) {
  const boost::math::normal_distribution<double> normal;
  auto f = [&](double z) {
    const double inside = boost::math::cdf(normal, z + q) - boost::math::cdf(normal, z);
    return static_cast<double>(k) * boost::math::pdf(normal, z) * std::pow(inside, static_cast<double>(k - 1));
  };
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, -12.0, 12.0, 15, 1e-13);
}

// Number of subsets of {1..n} per rank sum: the exact null distribution of R+ (times 2^n).
std::vector<double> signed_rank_counts(int64_t n) {
  const int64_t max_sum = n * (n + 1) / 2;
  std::vector<double> counts(static_cast<size_t>(max_sum + 1), 0.0);
  counts[0] = 1;
  for (int64_t r = 1; r <= n; ++r)
    for (int64_t s = max_sum; s >= r; --s) counts[static_cast<size_t>(s)] += counts[static_cast<size_t>(s - r)];
  return counts;
}

}  // namespace

MeanCi mean_ci(std::span<const double> values, double level) {
  MeanCi r;
  r.n = static_cast<int64_t>(values.size());
  SYN_CHECK_T(ValueError, r.n > 0, "mean_ci: no values");
  SYN_CHECK_T(ValueError, level > 0 && level < 1, "mean_ci: level ", level, " is not in (0, 1)");
  r.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(r.n);
  if (r.n < 2) {
    r.std = r.half_width = kNaN;
    return r;
  }
  double ss = 0;
  for (double v : values) ss += (v - r.mean) * (v - r.mean);
  r.std = std::sqrt(ss / static_cast<double>(r.n - 1));
  const boost::math::students_t_distribution<double> t(static_cast<double>(r.n - 1));
  r.half_width = boost::math::quantile(t, 0.5 + level / 2) * r.std / std::sqrt(static_cast<double>(r.n));
  return r;
}

std::vector<double> average_ranks_of(std::span<const double> values) {
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && values[order[j]] == values[order[i]]) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // mean of i+1..j
    for (size_t m = i; m < j; ++m) ranks[order[m]] = rank;
    i = j;
  }
  return ranks;
}

FriedmanResult friedman(const std::vector<std::vector<double>>& table) {
  FriedmanResult r;
  r.blocks = static_cast<int64_t>(table.size());
  SYN_CHECK_T(ValueError, r.blocks >= 2, "friedman: ", r.blocks, " blocks; at least 2 are needed");
  r.methods = static_cast<int64_t>(table.front().size());
  SYN_CHECK_T(ValueError, r.methods >= 3, "friedman: ", r.methods, " methods; at least 3 are needed");
  const double n = static_cast<double>(r.blocks), k = static_cast<double>(r.methods);
  std::vector<double> rank_sums(static_cast<size_t>(r.methods), 0.0);
  double ties = 0;
  for (size_t b = 0; b < table.size(); ++b) {
    const std::vector<double>& row = table[b];
    SYN_CHECK_T(ValueError, static_cast<int64_t>(row.size()) == r.methods, "friedman: block ", b, " has ",
                row.size(), " values, block 0 has ", r.methods);
    for (double v : row) SYN_CHECK_T(ValueError, std::isfinite(v), "friedman: block ", b, " has a non-finite value");
    const std::vector<double> ranks = average_ranks_of(row);
    for (size_t j = 0; j < ranks.size(); ++j) rank_sums[j] += ranks[j];
    for (int64_t t : tie_groups(row)) ties += static_cast<double>(t * t * t - t);
  }
  double ssbn = 0;
  for (double s : rank_sums) {
    ssbn += s * s;
    r.average_ranks.push_back(s / n);
  }
  const double correction = 1 - ties / (n * k * (k * k - 1));
  r.statistic = (12 / (n * k * (k + 1)) * ssbn - 3 * n * (k + 1)) / correction;
  if (!std::isfinite(r.statistic)) {  // every block all ties: nothing to tell the methods apart
    r.statistic = kNaN;
    r.p_value = kNaN;
    return r;
  }
  const boost::math::chi_squared_distribution<double> chi2(k - 1);
  r.p_value = boost::math::cdf(boost::math::complement(chi2, std::max(r.statistic, 0.0)));
  return r;
}

double nemenyi_q(int64_t k, double alpha) {
  SYN_CHECK_T(ValueError, k >= 2, "nemenyi_q: ", k, " methods; at least 2 are needed");
  SYN_CHECK_T(ValueError, alpha > 0 && alpha < 1, "nemenyi_q: alpha ", alpha, " is not in (0, 1)");
  auto f = [&](double q) { return studentized_range_cdf(q, k) - (1 - alpha); };
  boost::math::tools::eps_tolerance<double> tol(40);
  std::uintmax_t iterations = 100;
  const auto [lo, hi] = boost::math::tools::toms748_solve(f, 0.01, 20.0, tol, iterations);
  return (lo + hi) / 2 / std::sqrt(2.0);
}

double nemenyi_critical_difference(int64_t k, int64_t blocks, double alpha) {
  SYN_CHECK_T(ValueError, blocks >= 1, "nemenyi_critical_difference: ", blocks, " blocks");
  const double kd = static_cast<double>(k);
  return nemenyi_q(k, alpha) * std::sqrt(kd * (kd + 1) / (6 * static_cast<double>(blocks)));
}

WilcoxonResult wilcoxon_signed_rank(std::span<const double> x, std::span<const double> y) {
  SYN_CHECK_T(ShapeError, x.size() == y.size(), "wilcoxon_signed_rank: ", x.size(), " vs ", y.size(),
              " paired values");
  std::vector<double> d, magnitude;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i] != y[i]) {
      d.push_back(x[i] - y[i]);
      magnitude.push_back(std::abs(x[i] - y[i]));
    }
  WilcoxonResult r;
  r.n = static_cast<int64_t>(d.size());
  if (r.n == 0) return r;
  const std::vector<double> ranks = average_ranks_of(magnitude);
  double plus = 0, minus = 0;
  for (size_t i = 0; i < d.size(); ++i) (d[i] > 0 ? plus : minus) += ranks[i];
  r.statistic = std::min(plus, minus);
  const std::vector<int64_t> ties = tie_groups(magnitude);
  const bool tied = std::any_of(ties.begin(), ties.end(), [](int64_t t) { return t > 1; });
  const bool zeros = d.size() != x.size();
  r.exact = r.n <= 50 && !zeros && !tied;
  const double n = static_cast<double>(r.n);
  if (r.exact) {
    const std::vector<double> counts = signed_rank_counts(r.n);
    const double total = std::pow(2.0, n);
    const auto at = static_cast<size_t>(plus);
    if (at == (counts.size() - 1) / 2) {
      r.p_value = 1;
      return r;
    }
    double below = 0, above = 0;
    for (size_t s = 0; s < counts.size(); ++s) {
      if (s <= at) below += counts[s];
      if (s >= at) above += counts[s];
    }
    r.p_value = std::min(1.0, 2 * std::min(below, above) / total);
    return r;
  }
  const double mean = n * (n + 1) / 4;
  double var = n * (n + 1) * (2 * n + 1);
  for (int64_t t : ties) var -= 0.5 * static_cast<double>(t * (t * t - 1));
  const double z = (r.statistic - mean) / std::sqrt(var / 24);
  const boost::math::normal_distribution<double> normal;
  r.p_value = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(normal, std::abs(z))));
  return r;
}

std::vector<double> holm_adjust(std::span<const double> p_values) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - i) * p_values[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

}  // namespace syn::forecast
