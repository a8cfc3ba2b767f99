#include "synapse/ops/sparse_plan.hpp"

#include <algorithm>
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
                              BlockShape block) {
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
  // Block masks (BM_linear_masked/.../blockRxC, bench/README.md "Block masks"): the block plan is
  // about as fast as the sparse plan or faster wherever that one beats dense, so it takes over the
  // element crossover (in the feature-major loop too, where it was not measured separately); with 4×4
  // blocks it beats dense from 70 % sparsity at N = 64 and 6144, K = M = 256 and 1024. Batches of
  // one have no block kernel.
  if (block.rows * block.cols > 1 && batch > 1 &&
      density <= std::max(crossover, block.rows * block.cols >= 16 ? 0.3 : 0.0))
    return SparsePlan::block;
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
  // The block view is built (once per mask) only where a mask of 4×4 blocks, the shape with the
  // highest crossover, would not run dense.
  const auto block_shape = [&] {
    if (choose_sparse_plan(mask->density(), batch, m, k, layout, kBlockShapes[0]) == SparsePlan::dense)
      return BlockShape{1, 1};
    const MaskIndex& ix = mask->index(m, k);
    return BlockShape{ix.block_rows, ix.block_cols};
  };
  switch (forced_plan()) {
    case Forced::dense:
      return SparsePlan::dense;
    case Forced::sparse:
      return SparsePlan::sparse;
    case Forced::block:
      return batch > 1 && mask->index(m, k).blocked() ? SparsePlan::block : SparsePlan::sparse;
    case Forced::none:
      break;
  }
  return choose_sparse_plan(mask->density(), batch, m, k, layout, block_shape());
}

}  // namespace syn
