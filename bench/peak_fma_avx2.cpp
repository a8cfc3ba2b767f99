// Peak FMA throughput kernel for AVX2 (see peak_fma.hpp).
#include <immintrin.h>

#include "peak_fma.hpp"
#include "peak_fma_impl.hpp"

namespace syn::bench {

double peak_fma_avx2(int64_t iters) {
  return run_fma_chains(iters, _mm256_set1_ps(1.f), _mm256_set1_ps(0.999f), _mm256_set1_ps(1e-3f), 8,
                        [](__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); });
}

}  // namespace syn::bench
