#pragma once
// SparseStepProduct: the per-time-step product of a recurrent layer with a masked matrix under the
// sparse plan (Note [Sparse plans]), for one chunk of batch rows on one thread.
#include <cstdint>

#include "synapse/ops/kernels/sparse_kernels.hpp"
#include "synapse/ops/scratch.hpp"

namespace syn::detail {

class SparseStepProduct {
 public:
  // Buffers for up to max_rows batch rows, `in` input and `out` output features.
  SparseStepProduct(int64_t max_rows, int64_t in, int64_t out)
      : at_(max_rows > 1 ? max_rows * in : 0), ct_(max_rows > 1 ? max_rows * out : 0), in_(in), out_(out) {}

  // Compressed rows ptr (out + 1), idx, val of a matrix B (out, in)
  // a: (r, in), row stride lda   c: (r, out), row stride ldc;  c += a·Bᵀ
  // One row is a sparse GEMV; more are transposed into the batch-contiguous layout of Note [Sparse
  // products] and back, with this object's buffers (no threads, no allocation).
  void run(const kernels::SparseKernels& kern, const int32_t* ptr, const int32_t* idx, const float* val,
           int64_t r, const float* a, int64_t lda, float* c, int64_t ldc) const {
    if (r == 1) {
      kern.spmv(0, out_, ptr, idx, val, a, c, true);
      return;
    }
    kern.transpose(r, in_, a, lda, at_.data(), r);
    kern.transpose(r, out_, c, ldc, ct_.data(), r);
    kern.spmm(0, out_, r, ptr, idx, val, at_.data(), r, ct_.data(), r, true);
    kern.transpose(out_, r, ct_.data(), r, c, ldc);
  }

 private:
  Scratch at_, ct_;
  int64_t in_, out_;
};

}  // namespace syn::detail
