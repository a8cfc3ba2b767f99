#pragma once
// Which kernels a product with a masked weight runs: the dense GEMM, or the sparse family's element
// or block kernels.
//
// Note [Sparse plans]
// Every product with a weight W (M, K) — linear layers (attention projections, FFN, heads, patch
// embeddings) and the input and recurrent matrices of RNN/LSTM/GRU — picks a plan per call from the
// weight's mask, the batch (rows of the product) and the shape:
// - dense: the packed GEMM over all of W. With a mask, dead entries are 0 so the result is the same,
//   and the weight gradient's dead positions are re-zeroed after the GEMM (Note [Mask invariants] 3).
// - sparse: the compressed-row kernels of Note [Sparse products]: cost scales with nnz, dead weights
//   are never read, dead gradient positions never computed nor written. Rows with no live entry
//   (row-pruned matrices) cost nothing.
// - block: for masks whose bits form blocks (the block view of Note [Mask index views]: 4×4, 4×1
//   or 1×4, read from the bits, whatever granularity the pruner used), the block kernels of Note
//   [Sparse products]: dead blocks are skipped, and each live block is a small dense product held in
//   registers, several FMAs per load where the element kernels do one. Batches of one and masks
//   without block structure run the sparse plan instead (batch 1 is the sliced ELL GEMV).
// Unmasked weights always run dense. A masked weight runs sparse when its density is at or below the
// crossover measured by bench/bench_sparse_ops.cpp (bench/README.md "Sparse crossovers"), which is
// higher for a batch of one (GEMV, where dense is bound by streaming W) than for batched products;
// a block-structured mask runs block below its own, higher crossover (bench/README.md "Block masks").
// SYN_SPARSE_PLAN=dense|sparse|block|auto (read once) forces a plan for every masked weight (block
// where the mask and batch allow it, else sparse): tests use it to check that all plans agree,
// benchmarks to measure each.
#include <cstdint>

#include "synapse/core/mask_index.hpp"
#include "synapse/core/tensor.hpp"

namespace syn {

enum class SparsePlan { dense, sparse, block };

// How the sparse plan would run a product: transposing batch-major operands into the
// batch-contiguous layout and back (linear layers), or inside the feature-major recurrent loop,
// which keeps that layout and transposes nothing per product (Note [Feature-major recurrent loop]).
enum class SparseLayout { transposed, feature_major };

const char* sparse_plan_name(SparsePlan plan);  // "dense" | "sparse" | "block"

// The plan for a weight of shape (m, k) with the given mask density in a product over `batch` rows;
// `block`: the block shape of the mask's block view (1 × 1: none; Note [Mask index views]).
SparsePlan choose_sparse_plan(double density, int64_t batch, int64_t m, int64_t k,
                              SparseLayout layout = SparseLayout::transposed, BlockShape block = {1, 1});

// The plan a 2-D weight tensor gets in a product over `batch` rows: dense without a mask, else
// choose_sparse_plan unless SYN_SPARSE_PLAN forces one. Never block for a batch of one or a mask
// without block structure (sparse then).
SparsePlan sparse_plan_for(const Tensor& weight, int64_t batch, SparseLayout layout = SparseLayout::transposed);

// For tests and benchmarks: while alive, every masked weight runs `plan` (overriding SYN_SPARSE_PLAN;
// block as sparse_plan_for says).
class SparsePlanOverride {
 public:
  explicit SparsePlanOverride(SparsePlan plan);
  ~SparsePlanOverride();
  SparsePlanOverride(const SparsePlanOverride&) = delete;
  SparsePlanOverride& operator=(const SparsePlanOverride&) = delete;

 private:
  int previous_;
};

// The batch a training step multiplies by (the trainer's default batch size), for reports.
inline constexpr int64_t kReportBatch = 64;

}  // namespace syn
