#pragma once
// FMA throughput of one core: independent chains of fused multiply-adds with no memory traffic,
// the method of ../shared/peers/peak_fma.cpp. Each function runs `iters` rounds of 12 FMAs on
// full-width registers and returns the number of floating-point operations done (2 per lane per
// FMA). Compiled in peak_fma_avx512.cpp / peak_fma_avx2.cpp with that ISA's flags only.
#include <cstdint>

namespace syn::bench {

double peak_fma_avx512(int64_t iters);
double peak_fma_avx2(int64_t iters);

// Registers BM_peak_fma (the widest ISA's FMA rate as a GFLOP/s counter) when the CPU has AVX2.
void register_peak_fma();

}  // namespace syn::bench
