#pragma once
// The hardware limits the benchmarks report against. FMA throughput of one core: independent chains of fused multiply-adds with no memory traffic,
// the method of ../shared/peers/peak_fma.cpp. Each function runs `iters` rounds of 12 FMAs on
// full-width registers and returns the number of floating-point operations done (2 per lane per
// FMA). Compiled in peak_fma_avx512.cpp / peak_fma_avx2.cpp with that ISA's flags only.
#include <cstdint>

namespace syn::bench {

double peak_fma_avx512(int64_t iters);
double peak_fma_avx2(int64_t iters);

// Reads n floats (a multiple of 128) `reps` times with full-width loads; returns the bytes read.
double l2_read_avx512(const float* p, int64_t n, int64_t reps);
double l2_read_avx2(const float* p, int64_t n, int64_t reps);

// Registers BM_peak_fma (the widest ISA's FMA rate as a GFLOP/s counter) when the CPU has AVX2.
void register_peak_fma();
// Registers BM_l2_read/BYTES: the read rate (GB/s counter) of a buffer of `bytes` that stays in the
// cache it fits in (L2 for 64 KiB to 1 MiB on current x86), the bound of products that stream a
// weight matrix from there once per step.
void register_l2_read(int64_t bytes);

}  // namespace syn::bench
