// Peak FMA throughput kernel for AVX-512 (see peak_fma.hpp).
#include <immintrin.h>

#include "peak_fma.hpp"
#include "peak_fma_impl.hpp"

namespace syn::bench {

double peak_fma_avx512(int64_t iters) {
  return run_fma_chains(iters, _mm512_set1_ps(1.f), _mm512_set1_ps(0.999f), _mm512_set1_ps(1e-3f), 16,
                        [](__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); });
}

}  // namespace syn::bench
