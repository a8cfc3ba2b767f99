#include "synapse/ops/sparse_plan.hpp"

#include <atomic>
#include <cstdlib>
#include <string_view>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

namespace syn {
namespace {

enum class Forced { none, dense, sparse };

Forced env_plan() {
  static const Forced forced = [] {
    const char* value = std::getenv("SYN_SPARSE_PLAN");
    const std::string_view v = value ? value : "";
    if (v.empty() || v == "auto") return Forced::none;
    if (v == "dense") return Forced::dense;
    if (v == "sparse") return Forced::sparse;
    throw ValueError(detail::concat("SYN_SPARSE_PLAN=", v, ": expected dense, sparse or auto"));
  }();
  return forced;
}

// SparsePlanOverride's plan (as Forced), or -1 when none is alive.
std::atomic<int> g_override{-1};

Forced forced_plan() {
  const int o = g_override.load(std::memory_order_relaxed);
  return o >= 0 ? static_cast<Forced>(o) : env_plan();
}

}  // namespace

const char* sparse_plan_name(SparsePlan plan) { return plan == SparsePlan::sparse ? "sparse" : "dense"; }

SparsePlan choose_sparse_plan(double density, int64_t batch, int64_t m, int64_t k, SparseLayout layout) {
  // Crossovers measured by bench_pruned (one thread; bench/README.md "Pruned models"):
  // BM_linear_masked (forward and both gradients): batched products pay from about 80 % sparsity;
  // with few input features and a very large batch the transposes into the batch-contiguous layout
  // cost as much as the saved multiply-adds until about 95 %; a batch of one pays from about 85 %.
  // BM_train_step/lstm: the feature-major loop, which transposes nothing per product, already
  // pays at 50 %.
  (void)m;
  double crossover = 0.2;
  if (batch == 1)
    crossover = 0.15;
  else if (layout == SparseLayout::feature_major)
    crossover = 0.55;
  else if (k <= 64 && batch > 1024)
    crossover = 0.05;
  return density <= crossover ? SparsePlan::sparse : SparsePlan::dense;
}

SparsePlanOverride::SparsePlanOverride(SparsePlan plan)
    : previous_(g_override.exchange(static_cast<int>(plan == SparsePlan::sparse ? Forced::sparse : Forced::dense))) {}

SparsePlanOverride::~SparsePlanOverride() { g_override.store(previous_); }

SparsePlan sparse_plan_for(const Tensor& weight, int64_t batch, SparseLayout layout) {
  const auto& mask = weight.mask();
  if (!mask || weight.rank() != 2) return SparsePlan::dense;
  switch (forced_plan()) {
    case Forced::dense:
      return SparsePlan::dense;
    case Forced::sparse:
      return SparsePlan::sparse;
    case Forced::none:
      break;
  }
  return choose_sparse_plan(mask->density(), batch, weight.size(0), weight.size(1), layout);
}

}  // namespace syn
