#include "synapse/pruning/sparsity_formulas.hpp"

#include <algorithm>

#include "synapse/core/error.hpp"

namespace syn::pruning {
namespace {

double progress(double t, double begin, double end) {
  SYN_CHECK_T(ValueError, end > begin, "pruning schedule: end (", end, ") must be after begin (", begin, ")");
  return std::clamp((t - begin) / (end - begin), 0.0, 1.0);
}

}  // namespace

double zhu_gupta_sparsity(double s_i, double s_f, double t, double begin, double end) {
  const double rest = 1.0 - progress(t, begin, end);
  return s_f + (s_i - s_f) * rest * rest * rest;
}

double linear_sparsity(double s_i, double s_f, double t, double begin, double end) {
  return s_i + (s_f - s_i) * progress(t, begin, end);
}

double paper_ramp_sparsity(double s_min, double s_max, int64_t epoch0, int64_t warmup, int64_t total) {
  SYN_CHECK_T(ValueError, total > warmup, "pruning schedule: paper_ramp total epochs (", total,
              ") must exceed the warm-up (", warmup, ")");
  if (epoch0 < warmup) return 0.0;
  const double p = progress(static_cast<double>(epoch0), static_cast<double>(warmup), static_cast<double>(total));
  return s_min + (s_max - s_min) * p * p * p;
}

CappedTarget cap_target(double raw) {
  if (raw >= 1.0) return {kSparsityCap, true};
  return {raw, false};
}

}  // namespace syn::pruning
