// The scalar reference of the sparse kernels (Note [Sparse products]): plain loops, the test oracle.
#include "synapse/ops/kernels/sparse_kernels.hpp"

#include <algorithm>

namespace syn::kernels {
namespace {

void spmm(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* val,
          const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  for (int64_t m = m0; m < m1; ++m) {
    float* y = yt + m * ldy;
    if (!accumulate)
      for (int64_t j = 0; j < n; ++j) y[j] = 0.f;
    for (int32_t p = ptr[m]; p < ptr[m + 1]; ++p) {
      const float w = val[p];
      const float* x = xt + static_cast<int64_t>(idx[p]) * ldx;
      for (int64_t j = 0; j < n; ++j) y[j] += w * x[j];
    }
  }
}

void sddmm(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* at,
           int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  for (int64_t m = m0; m < m1; ++m) {
    const float* a = at + m * lda;
    for (int32_t p = ptr[m]; p < ptr[m + 1]; ++p) {
      const float* b = bt + static_cast<int64_t>(idx[p]) * ldb;
      float acc = 0.f;
      for (int64_t j = 0; j < n; ++j) acc += a[j] * b[j];
      w[m * ldw + idx[p]] += acc;
    }
  }
}

void spmv(int64_t s0, int64_t s1, int64_t m, int64_t k, const int32_t* ptr, const int32_t* col, const float* val,
          const float* x, float* y, bool accumulate) {
  (void)k;
  for (int64_t s = s0; s < s1; ++s)
    for (int64_t r = s * kEllRows; r < std::min(m, (s + 1) * kEllRows); ++r) {
      float acc = 0.f;
      for (int32_t l = ptr[s]; l < ptr[s + 1]; ++l) {
        const int64_t i = l * kEllRows + r % kEllRows;
        acc += val[i] * x[col[i]];
      }
      y[r] = accumulate ? y[r] + acc : acc;
    }
}

void bspmm(int64_t b0, int64_t b1, int64_t br, int64_t bc, int64_t n, const int32_t* ptr, const int32_t* idx,
           const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  for (int64_t b = b0; b < b1; ++b)
    for (int64_t r = 0; r < br; ++r) {
      float* y = yt + (b * br + r) * ldy;
      if (!accumulate)
        for (int64_t j = 0; j < n; ++j) y[j] = 0.f;
      for (int32_t p = ptr[b]; p < ptr[b + 1]; ++p)
        for (int64_t c = 0; c < bc; ++c) {
          const float w = val[(p * br + r) * bc + c];
          const float* x = xt + (idx[p] * bc + c) * ldx;
          for (int64_t j = 0; j < n; ++j) y[j] += w * x[j];
        }
    }
}

void bsddmm(int64_t b0, int64_t b1, int64_t br, int64_t bc, int64_t n, const int32_t* ptr, const int32_t* idx,
            const float* at, int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  for (int64_t b = b0; b < b1; ++b)
    for (int32_t p = ptr[b]; p < ptr[b + 1]; ++p)
      for (int64_t r = 0; r < br; ++r)
        for (int64_t c = 0; c < bc; ++c) {
          const int64_t m = b * br + r, k = idx[p] * bc + c;
          float acc = 0.f;
          for (int64_t j = 0; j < n; ++j) acc += at[m * lda + j] * bt[k * ldb + j];
          w[m * ldw + k] += acc;
        }
}

void transpose(int64_t rows, int64_t cols, const float* src, int64_t lds, float* dst, int64_t ldd) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) dst[c * ldd + r] = src[r * lds + c];
}

}  // namespace

namespace scalar {
const SparseKernels& sparse_kernels() {
  static const SparseKernels table{Isa::scalar, spmm, sddmm, spmv, bspmm, bsddmm, transpose};
  return table;
}
}  // namespace scalar

}  // namespace syn::kernels
