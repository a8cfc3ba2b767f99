#pragma once
// The peak-FMA and cache-read loops of peak_fma.hpp, written once for any vector type V; included
// only by peak_fma_avx2.cpp and peak_fma_avx512.cpp, each compiled with its ISA's flags.
#include <cstdint>

namespace syn::bench {

// Runs `iters` rounds of 12 independent FMA chains on registers; returns the flops done.
template <class V, class Fma>
double run_fma_chains(int64_t iters, V one, V b, V c, int lanes, Fma fma) {
  V a0 = one, a1 = one, a2 = one, a3 = one, a4 = one, a5 = one, a6 = one, a7 = one, a8 = one, a9 = one,
    a10 = one, a11 = one;
  // Keep the compiler from folding the chains.
  asm volatile(""
               : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), "+v"(a7), "+v"(a8),
                 "+v"(a9), "+v"(a10), "+v"(a11));
  for (int64_t i = 0; i < iters; ++i) {
    a0 = fma(a0, b, c), a1 = fma(a1, b, c), a2 = fma(a2, b, c), a3 = fma(a3, b, c);
    a4 = fma(a4, b, c), a5 = fma(a5, b, c), a6 = fma(a6, b, c), a7 = fma(a7, b, c);
    a8 = fma(a8, b, c), a9 = fma(a9, b, c), a10 = fma(a10, b, c), a11 = fma(a11, b, c);
  }
  asm volatile(""
               : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), "+v"(a7), "+v"(a8),
                 "+v"(a9), "+v"(a10), "+v"(a11));
  return 2.0 * 12 * lanes * static_cast<double>(iters);
}

// Reads p[0, n) `reps` times with full-width loads (n a multiple of 8 vectors of `lanes`) into 8
// independent sums; returns the bytes read.
template <class V, class Load, class Add>
double run_reads(const float* p, int64_t n, int64_t reps, int lanes, V zero, Load load, Add add) {
  V s0 = zero, s1 = zero, s2 = zero, s3 = zero, s4 = zero, s5 = zero, s6 = zero, s7 = zero;
  for (int64_t r = 0; r < reps; ++r) {
    for (int64_t i = 0; i < n; i += 8 * lanes) {
      s0 = add(s0, load(p + i)), s1 = add(s1, load(p + i + lanes)), s2 = add(s2, load(p + i + 2 * lanes));
      s3 = add(s3, load(p + i + 3 * lanes)), s4 = add(s4, load(p + i + 4 * lanes));
      s5 = add(s5, load(p + i + 5 * lanes)), s6 = add(s6, load(p + i + 6 * lanes));
      s7 = add(s7, load(p + i + 7 * lanes));
    }
    asm volatile("" : "+v"(s0), "+v"(s1), "+v"(s2), "+v"(s3), "+v"(s4), "+v"(s5), "+v"(s6), "+v"(s7));
  }
  return 4.0 * static_cast<double>(n) * static_cast<double>(reps);
}

}  // namespace syn::bench
