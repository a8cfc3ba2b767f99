#pragma once
// SparseWeight and the batch-major products with it: what linear and the recurrent layers call when
// a masked weight runs the sparse plan (Note [Sparse plans]). They transpose activations into the
// batch-contiguous layout of Note [Sparse products] and back, and split output rows between threads.
#include <cstdint>
#include <vector>

#include "synapse/core/mask.hpp"

namespace syn::detail {

// A masked weight W (M, K) prepared for one op call: its mask's index view (built once per mask)
// and W's live values gathered in CSR order and, when asked, in CSC order (input gradients) and in
// the sliced ELL order of batch-1 products (padding 0).
struct SparseWeight {
  const MaskIndex* ix = nullptr;
  std::vector<float> csr, csc, ell;
  // w: (m, k) row-major with the mask's dead entries 0.
  SparseWeight(const float* w, const Mask& mask, int64_t m, int64_t k, bool with_csc, bool with_ell = false);
  int64_t rows() const { return ix->rows; }
  int64_t cols() const { return ix->cols; }
};

// The row stride of a batch-contiguous (features, n) buffer: n rounded up to whole vectors, plus
// one vector when that is a multiple of 256 floats, so that consecutive rows do not all fall into
// the same few L1 sets (a stride of 6144 floats maps every row to one set).
int64_t batch_stride(int64_t n);

// src: (rows, cols), row stride lds -> dst: (cols, rows), row stride ldd; parallel over row blocks.
void transpose(const float* src, int64_t rows, int64_t cols, int64_t lds, float* dst, int64_t ldd);

// x: (n, K)  y: (n, M);  y = (accumulate ? y : 0) + x·Wᵀ   (n == 1 needs w.ell)
void sparse_linear(const SparseWeight& w, const float* x, int64_t n, float* y, bool accumulate);

// dy: (n, M)  x: (n, K)  (either gradient may be skipped by passing nullptr for its output)
// dx: (n, K) += dy·W   (needs w.csc)
// dw: (M, K) += dyᵀ·x at the live positions only; dead positions are not touched
void sparse_linear_backward(const SparseWeight& w, const float* dy, const float* x, int64_t n, float* dx,
                            float* dw);

}  // namespace syn::detail
