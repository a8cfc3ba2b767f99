#include "synapse/pruning/score.hpp"

#include <cmath>

#include "synapse/core/error.hpp"

namespace syn::pruning {

std::string_view score_name(ScoreKind kind) {
  switch (kind) {
    case ScoreKind::random:
      return "random";
    case ScoreKind::grad_magnitude:
      return "grad-magnitude";
    case ScoreKind::magnitude:
      break;
  }
  return "magnitude";
}

ScoreKind score_from_name(std::string_view name) {
  if (name == "magnitude") return ScoreKind::magnitude;
  if (name == "random") return ScoreKind::random;
  if (name == "grad-magnitude" || name == "grad_magnitude") return ScoreKind::grad_magnitude;
  throw ValueError(detail::concat("pruning: unknown score '", name,
                                  "' (expected magnitude, random or grad-magnitude)"));
}

std::vector<double> unit_scores(ScoreKind kind, const Tensor& weight, const std::string& name,
                                const UnitLayout& layout, Generator& gen) {
  std::vector<double> scores(static_cast<size_t>(layout.units()), 0.0);
  if (kind == ScoreKind::random) {
    for (double& s : scores) s = static_cast<double>(gen.next_u64() >> 11) * 0x1.0p-53;
    return scores;
  }
  const float* w = weight.data();
  const float* g = nullptr;
  if (kind == ScoreKind::grad_magnitude) {
    const Tensor grad = weight.grad();
    SYN_CHECK_T(ValueError, grad.defined() && grad.numel() == weight.numel(), "pruning: the grad-magnitude score of '",
                name, "' needs its gradient; prune after a backward pass and before zero_grad");
    g = grad.data();
  }
  for (int64_t u = 0; u < layout.units(); ++u) {
    double sum = 0;
    layout.for_each_element(u, [&](int64_t i) { sum += std::fabs(g ? double{w[i]} * g[i] : double{w[i]}); });
    // A NaN score sorts last (never pruned first), keeping the order total.
    scores[static_cast<size_t>(u)] = std::isnan(sum) ? INFINITY : sum;
  }
  return scores;
}

}  // namespace syn::pruning
