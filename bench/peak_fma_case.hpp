#pragma once
// BM_peak_fma, the FMA peak of one core as a GFLOP/s counter (peak_fma.hpp), for the benchmark
// binaries that print it next to their kernels' rates. Included only by baseline-compiled bench_*.cpp.
#include <benchmark/benchmark.h>

#include "peak_fma.hpp"
#include "synapse/core/cpu_features.hpp"

namespace syn::bench {

inline void bm_peak_fma(benchmark::State& state) {
  const bool avx512 = cpu_supports(Isa::avx512);
  double flops = 0;
  for (auto _ : state) flops += avx512 ? peak_fma_avx512(1 << 20) : peak_fma_avx2(1 << 20);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
  state.SetLabel(avx512 ? "avx512" : "avx2");
}

// Registers BM_peak_fma where the CPU has AVX2 at least.
inline void register_peak_fma() {
  if (cpu_supports(Isa::avx2)) benchmark::RegisterBenchmark("BM_peak_fma", bm_peak_fma);
}

}  // namespace syn::bench
