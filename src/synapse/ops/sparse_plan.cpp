#include "synapse/ops/sparse_plan.hpp"

#include <atomic>
#include <cstdlib>
#include <string_view>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

namespace syn {
namespace {

enum class Forced { none, dense, sparse, block };

Forced env_plan() {
  static const Forced forced = [] {
    const char* value = std::getenv("SYN_SPARSE_PLAN");
    const std::string_view v = value ? value : "";
    if (v.empty() || v == "auto") return Forced::none;
    if (v == "dense") return Forced::dense;
    if (v == "sparse") return Forced::sparse;
    if (v == "block") return Forced::block;
    throw ValueError(detail::concat("SYN_SPARSE_PLAN=", v, ": expected dense, sparse, block or auto"));
  }();
  return forced;
}

// The density at or below which a block-structured mask runs the block plan (batches > 1).
constexpr double kBlockCrossover = 0.5;

// SparsePlanOverride's plan (as Forced), or -1 when none is alive.
std::atomic<int> g_override{-1};

Forced forced_plan() {
  const int o = g_override.load(std::memory_order_relaxed);
  return o >= 0 ? static_cast<Forced>(o) : env_plan();
}

}  // namespace

const char* sparse_plan_name(SparsePlan plan) {
  switch (plan) {
    case SparsePlan::sparse:
      return "sparse";
    case SparsePlan::block:
      return "block";
    case SparsePlan::dense:
      break;
  }
  return "dense";
}

SparsePlan choose_sparse_plan(double density, int64_t batch, int64_t m, int64_t k, SparseLayout layout,
                              bool blocked) {
  // BLOCK_CROSSOVER_COMMENT
  if (blocked && batch > 1 && density <= kBlockCrossover) return SparsePlan::block;
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
    : previous_(g_override.exchange(static_cast<int>(plan == SparsePlan::sparse  ? Forced::sparse
                                                     : plan == SparsePlan::block ? Forced::block
                                                                                 : Forced::dense))) {}

SparsePlanOverride::~SparsePlanOverride() { g_override.store(previous_); }

SparsePlan sparse_plan_for(const Tensor& weight, int64_t batch, SparseLayout layout) {
  const auto& mask = weight.mask();
  if (!mask || weight.rank() != 2) return SparsePlan::dense;
  const int64_t m = weight.size(0), k = weight.size(1);
  // The block view is built (once per mask) only where the block plan could be chosen.
  const auto blocked = [&] { return batch > 1 && mask->index(m, k).blocked(); };
  switch (forced_plan()) {
    case Forced::dense:
      return SparsePlan::dense;
    case Forced::sparse:
      return SparsePlan::sparse;
    case Forced::block:
      return blocked() ? SparsePlan::block : SparsePlan::sparse;
    case Forced::none:
      break;
  }
  return choose_sparse_plan(mask->density(), batch, m, k, layout, mask->density() <= kBlockCrossover && blocked());
}

}  // namespace syn
