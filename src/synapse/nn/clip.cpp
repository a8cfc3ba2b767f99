#include "synapse/nn/clip.hpp"

#include <algorithm>
#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::nn {
namespace {
constexpr int64_t kGrain = 16384;

// The gradient entries clip_grad_norm_ visits: all of them, or the live ones of a masked parameter.
struct Entries {
  Tensor grad;
  const int64_t* live;  // null: every entry
  int64_t n;
  int64_t index(int64_t k) const { return live ? live[k] : k; }
};

// merge(acc, term(|g|)) from 0 over the entries: blocks of kReduceBlock in parallel, block results
// merged in index order, so the result does not depend on the thread count (Note [Determinism]).
template <class Term, class Merge>
double reduce_abs(const Entries& e, Term term, Merge merge) {
  const float* g = e.grad.data();
  const int64_t blocks = (e.n + kReduceBlock - 1) / kReduceBlock;
  std::vector<double> partial(static_cast<size_t>(blocks), 0.0);
  parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      double acc = 0.0;
      for (int64_t k = b * kReduceBlock, end = std::min(e.n, k + kReduceBlock); k < end; ++k)
        acc = merge(acc, term(std::fabs(static_cast<double>(g[e.index(k)]))));
      partial[static_cast<size_t>(b)] = acc;
    }
  });
  double total = 0.0;
  for (double p : partial) total = merge(total, p);
  return total;
}

double max_propagating_nan(double acc, double a) { return std::isnan(a) || a > acc ? a : acc; }
double plus(double acc, double a) { return acc + a; }
double identity(double a) { return a; }
double square(double a) { return a * a; }

// Multiplies the entries by coef.
void scale(Entries& e, float coef) {
  float* g = e.grad.mutable_data();
  if (!e.live) {
    const auto mul_scalar = kernels::elementwise_kernels().mul_scalar;
    parallel_for(e.n, kGrain, [&](int64_t b, int64_t end) { mul_scalar(g + b, coef, g + b, end - b); });
    return;
  }
  parallel_for(e.n, kGrain, [&](int64_t b, int64_t end) {
    for (int64_t k = b; k < end; ++k) g[e.live[k]] *= coef;
  });
}
}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  SYN_CHECK_T(ValueError, norm_type > 0, "clip_grad_norm_: norm_type must be positive, got ", norm_type);
  SYN_CHECK_T(ValueError, max_norm >= 0, "clip_grad_norm_: max_norm must be >= 0, got ", max_norm);
  std::vector<Entries> grads;
  for (const Tensor& p : params) {
    Tensor g = p.grad();
    if (!g.defined()) continue;
    if (const auto& mask = p.mask())
      grads.push_back({g, mask->live_indices().data(), mask->nnz()});
    else
      grads.push_back({g, nullptr, g.numel()});
  }

  double total = 0.0;
  if (std::isinf(norm_type)) {
    for (const Entries& e : grads)
      total = max_propagating_nan(total, reduce_abs(e, identity, max_propagating_nan));
  } else if (norm_type == 2.0) {
    for (const Entries& e : grads) total += reduce_abs(e, square, plus);
    total = std::sqrt(total);
  } else {
    for (const Entries& e : grads)
      total += reduce_abs(
          e, [&](double a) { return std::pow(a, norm_type); }, plus);
    total = std::pow(total, 1.0 / norm_type);
  }
  SYN_CHECK_T(ValueError, !error_if_nonfinite || std::isfinite(total), "clip_grad_norm_: the total norm ",
              "of order ", norm_type, " of the gradients is ", total,
              "; pass error_if_nonfinite=false to clip anyway");

  const double coef = max_norm / (total + 1e-6);
  if (coef < 1.0 || std::isnan(coef))
    for (Entries& e : grads) scale(e, static_cast<float>(coef));
  return total;
}

void clip_grad_value_(const std::vector<Tensor>& params, double clip_value) {
  SYN_CHECK_T(ValueError, clip_value >= 0, "clip_grad_value_: clip_value must be >= 0, got ", clip_value);
  const float hi = static_cast<float>(clip_value), lo = -hi;
  const auto clamp = kernels::elementwise_kernels().clamp;
  for (const Tensor& p : params) {
    Tensor grad = p.grad();
    if (!grad.defined()) continue;
    float* g = grad.mutable_data();
    parallel_for(grad.numel(), kGrain, [&](int64_t b, int64_t end) { clamp(g + b, lo, hi, g + b, end - b); });
  }
}

}  // namespace syn::nn
