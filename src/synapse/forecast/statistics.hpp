#pragma once
// Statistics for comparing forecasters over many runs (Note [Comparing methods]): confidence
// intervals of a mean, the Friedman test with average ranks, the Nemenyi critical difference, the
// Wilcoxon signed-rank test and Holm's correction. Distributions come from Boost.Math; the values
// are checked against SciPy's (tests/fixtures/statistics, tools/fixtures/make_statistics_fixtures.py).
#include <cstdint>
#include <span>
#include <vector>

namespace syn::forecast {

// Note [Comparing methods]
// Demšar (2006), "Statistical comparisons of classifiers over multiple data sets": k methods are
// compared over N blocks (here: the (model, lookback, ...) cells of one dataset, each cell's value the
// mean MAE over its seeds). Within a block the methods are ranked, 1 for the lowest error, ties
// getting the average of the ranks they span. The Friedman statistic with SciPy's tie correction,
//   χ² = (12 / (N k (k+1)) Σ_j R_j² − 3 N (k+1)) / (1 − Σ (t³ − t) / (N k (k² − 1))),
// R_j the rank sums and t the sizes of the tie groups, is referred to χ²(k − 1)
// (scipy.stats.friedmanchisquare). Two methods differ at level α when their average ranks differ by
// more than CD = q_α √(k (k+1) / (6 N)), q_α the studentized range quantile for k means and
// infinite degrees of freedom divided by √2 (Nemenyi). Pairwise, the Wilcoxon signed-rank test runs
// on the N paired block values (zero differences dropped, SciPy's "wilcox"), and its p-values are
// Holm-corrected over all pairs.

// Mean, sample standard deviation and the half-width of the two-sided t-based confidence interval
// (level 0.95 by default; half_width is NaN for fewer than 2 values, std too).
struct MeanCi {
  double mean = 0, std = 0, half_width = 0;
  int64_t n = 0;
};
MeanCi mean_ci(std::span<const double> values, double level = 0.95);

// Ranks of `values` (1 = smallest), ties averaged (scipy.stats.rankdata's "average").
std::vector<double> average_ranks_of(std::span<const double> values);

struct FriedmanResult {
  std::vector<double> average_ranks;  // per method
  double statistic = 0, p_value = 0;
  int64_t blocks = 0, methods = 0;
};
// table[b][j]: block b, method j (lower is better). ValueError for fewer than 3 methods, fewer than 2
// blocks, rows of different lengths or a non-finite value.
FriedmanResult friedman(const std::vector<std::vector<double>>& table);

// q_α / √2 for k means, infinite degrees of freedom (k >= 2; ValueError otherwise), from the
// studentized range distribution P(range < q) = k ∫ φ(z) (Φ(z + q) − Φ(z))^(k−1) dz.
double nemenyi_q(int64_t k, double alpha = 0.05);
// q_α √(k (k+1) / (6 N)).
double nemenyi_critical_difference(int64_t k, int64_t blocks, double alpha = 0.05);

struct WilcoxonResult {
  double statistic = 0;  // min(R+, R−) over the non-zero differences
  double p_value = 1;    // two-sided
  int64_t n = 0;         // non-zero differences
  bool exact = false;
};
// Paired x and y (ShapeError when the sizes differ). Exact p-value when n <= 50 with no zero
// difference and no tied |difference| (SciPy's "auto" takes the exact path as long as there is no zero
// difference); otherwise the normal approximation with the tie correction and no continuity correction.
// All differences zero: p = 1, n = 0.
WilcoxonResult wilcoxon_signed_rank(std::span<const double> x, std::span<const double> y);

// Holm's step-down adjusted p-values, in the order given (monotone, capped at 1).
std::vector<double> holm_adjust(std::span<const double> p_values);

}  // namespace syn::forecast
