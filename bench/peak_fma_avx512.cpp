// Peak FMA throughput and cache read kernels for AVX-512 (see peak_fma.hpp).
#include <immintrin.h>

#include "peak_fma.hpp"
#include "peak_fma_impl.hpp"

namespace syn::bench {

double peak_fma_avx512(int64_t iters) {
  return run_fma_chains(iters, _mm512_set1_ps(1.f), _mm512_set1_ps(0.999f), _mm512_set1_ps(1e-3f), 16,
                        [](__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); });
}

double l2_read_avx512(const float* p, int64_t n, int64_t reps) {
  return run_reads(p, n, reps, 16, _mm512_setzero_ps(), [](const float* q) { return _mm512_loadu_ps(q); },
                   [](__m512 a, __m512 b) { return _mm512_add_ps(a, b); });
}

}  // namespace syn::bench
