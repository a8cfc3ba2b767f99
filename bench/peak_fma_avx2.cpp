// Peak FMA throughput and cache read kernels for AVX2 (see peak_fma.hpp).
#include <immintrin.h>

#include "peak_fma.hpp"
#include "peak_fma_impl.hpp"

namespace syn::bench {

double peak_fma_avx2(int64_t iters) {
  return run_fma_chains(iters, _mm256_set1_ps(1.f), _mm256_set1_ps(0.999f), _mm256_set1_ps(1e-3f), 8,
                        [](__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); });
}

double l2_read_avx2(const float* p, int64_t n, int64_t reps) {
  return run_reads(p, n, reps, 8, _mm256_setzero_ps(), [](const float* q) { return _mm256_loadu_ps(q); },
                   [](__m256 a, __m256 b) { return _mm256_add_ps(a, b); });
}

}  // namespace syn::bench
