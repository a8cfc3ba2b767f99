#pragma once
// GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, op(X) = X or Xᵀ.
// op(A): (M, K)  op(B): (K, N)  C: (M, N); lda/ldb/ldc are row strides in elements.
// A is stored (M, lda) when trans_a is false and (K, lda) when true; likewise B.
// beta == 0 overwrites C without reading it (NaN in C does not leak through).
// Every op that multiplies matrices calls gemm(), forward and backward.
#include <cstdint>

#include "synapse/core/cache_sizes.hpp"
#include "synapse/core/cpu_features.hpp"

namespace syn::kernels {

enum class Trans : bool { no = false, yes = true };

void gemm(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// The same with one instruction set's kernels (for tests and benchmarks): Isa::scalar is a plain
// loop nest; an ISA this CPU cannot run is a ValueError. gemm() uses kernel_isa(), the one SYN_ISA or the
// CPU selects (Note [Kernel dispatch]). Same ISA => bitwise-identical C for any thread count.
void gemm_isa(Isa isa, Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// The cache blocks gemm uses with `isa`'s kernels (Note [GEMM blocking]): the depth block kc, fixed
// per ISA, and the row and column blocks mc and nc, whole register tiles sized from `caches`. All
// zero for Isa::scalar. The first form uses cache_sizes(), or a live GemmBlockingOverride.
// l1_way_bytes and l1_ways describe L1 (bytes one way of it holds, its ways) for packing decisions.
struct GemmBlocking {
  int64_t kc = 0, mc = 0, nc = 0;
  int64_t l1_way_bytes = 0, l1_ways = 0;
};
GemmBlocking gemm_blocking(Isa isa);
GemmBlocking gemm_blocking(Isa isa, const CacheSizes& caches);

// While alive, gemm() and gemm_isa() on every thread use row and column blocks of (about) mc rows
// and nc columns, rounded to whole register tiles, instead of those the caches give (for tests:
// the result must not change, Note [GEMM blocking]). Not nested, not concurrent with other gemm calls.
class GemmBlockingOverride {
 public:
  GemmBlockingOverride(int64_t mc, int64_t nc);
  ~GemmBlockingOverride();
  GemmBlockingOverride(const GemmBlockingOverride&) = delete;
  GemmBlockingOverride& operator=(const GemmBlockingOverride&) = delete;
};

// The naive triple loop (double accumulation), the test oracle for gemm().
void gemm_reference(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                    const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                    int64_t ldc);

}  // namespace syn::kernels
