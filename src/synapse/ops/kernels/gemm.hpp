#pragma once
// GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, op(X) = X or Xᵀ.
// op(A): (M, K)  op(B): (K, N)  C: (M, N); lda/ldb/ldc are row strides in elements.
// A is stored (M, lda) when trans_a is false and (K, lda) when true; likewise B.
// beta == 0 overwrites C without reading it (NaN in C does not leak through).
// Every op that multiplies matrices calls gemm(), forward and backward.
#include <cstdint>

namespace syn::kernels {

enum class Trans : bool { no = false, yes = true };

void gemm(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// The naive triple loop (double accumulation), the test oracle for gemm().
void gemm_reference(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                    const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                    int64_t ldc);

}  // namespace syn::kernels
