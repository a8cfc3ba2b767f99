#pragma once
// SparseWeight and the batch-major products with it: what linear and the recurrent layers call when
// a masked weight runs the sparse or block plan (Note [Sparse plans]). They transpose activations
// into the batch-contiguous layout of Note [Sparse products] and back, and split output rows (block
// rows) between threads.
#include <cstdint>
#include <vector>

#include "synapse/core/mask.hpp"
#include "synapse/ops/sparse_plan.hpp"

namespace syn::detail {

// A masked weight W (M, K) prepared for one op call under the sparse or block plan: its mask's index
// view (built once per mask) and W's live values gathered in the order of the forward view and,
// when asked, of the transposed view (input gradients), and in the sliced ELL order of batch-1
// products (padding 0). The views are CSR and CSC, or under the block plan (which needs a mask with
// block structure) BSR and BSC with each block's values row-major: br × bc blocks of W, and the
// transposed bc × br blocks of Wᵀ.
struct SparseWeight {
  const MaskIndex* ix = nullptr;
  bool blocked = false;  // the block plan
  std::vector<float> values, values_t, ell;
  // w: (m, k) row-major with the mask's dead entries 0; plan: sparse or block.
  SparseWeight(const float* w, const Mask& mask, int64_t m, int64_t k, SparsePlan plan, bool with_transposed,
               bool with_ell = false);
  int64_t rows() const { return ix->rows; }
  int64_t cols() const { return ix->cols; }

  // The output units of the forward product (rows of W, or block rows) and of the transposed one
  // (columns of W, or block columns), and how many output rows one unit is.
  int64_t units(bool transposed) const;
  int64_t unit_rows(bool transposed) const;
  // Output units [u0, u1): forward yt (M, n) (+)= W·xt (K, n), or transposed yt (K, n) (+)= Wᵀ·xt (M, n)
  // (needs values_t); row strides ldx, ldy.
  void spmm(bool transposed, int64_t u0, int64_t u1, int64_t n, const float* xt, int64_t ldx, float* yt,
            int64_t ldy, bool accumulate) const;
  // Forward units [u0, u1), at: (M, n)  bt: (K, n)  dw: (M, K): dw += at·btᵀ at the live positions only.
  void sddmm(int64_t u0, int64_t u1, int64_t n, const float* at, int64_t lda, const float* bt, int64_t ldb,
             float* dw) const;
};

// The row stride of a batch-contiguous (features, n) buffer: n rounded up to whole vectors, plus
// one vector when that is a multiple of 256 floats, so that consecutive rows do not all fall into
// the same few L1 sets (a stride of 6144 floats maps every row to one set).
int64_t batch_stride(int64_t n);

// src: (rows, cols), row stride lds -> dst: (cols, rows), row stride ldd; parallel over row blocks.
void transpose(const float* src, int64_t rows, int64_t cols, int64_t lds, float* dst, int64_t ldd);

// at: (M, n)  bt: (K, n), both with row stride ld   dw: (M, K) += at·btᵀ at the live positions only (an
// SDDMM, output units split between threads)
void sparse_weight_grad(const SparseWeight& w, int64_t n, const float* at, const float* bt, int64_t ld, float* dw);

// Batched products run in passes of up to 512 batch entries (kBatchChunk in sparse_weight.cpp), so that
// the batch-contiguous buffers stay in cache between the transposes and the kernels; the weight
// gradient adds one pass after another.
// x: (n, K)  y: (n, M);  y = (accumulate ? y : 0) + x·Wᵀ   (n == 1 needs w.ell)
void sparse_linear(const SparseWeight& w, const float* x, int64_t n, float* y, bool accumulate);

// dy: (n, M)  x: (n, K)  (either gradient may be skipped by passing nullptr for its output)
// dx: (n, K) += dy·W   (needs w.values_t)
// dw: (M, K) += dyᵀ·x at the live positions only; dead positions are not touched
void sparse_linear_backward(const SparseWeight& w, const float* dy, const float* x, int64_t n, float* dx,
                            float* dw);

}  // namespace syn::detail
