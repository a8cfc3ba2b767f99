// BM_peak_fma for every benchmark binary that reports % of the FMA peak (baseline code).
#include "peak_fma.hpp"

#include <benchmark/benchmark.h>

#include "synapse/core/cpu_features.hpp"

namespace syn::bench {
namespace {

void bm_peak_fma(benchmark::State& state) {
  const bool avx512 = cpu_supports(Isa::avx512);
  double flops = 0;
  for (auto _ : state) flops += avx512 ? peak_fma_avx512(1 << 20) : peak_fma_avx2(1 << 20);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
  state.SetLabel(avx512 ? "avx512" : "avx2");
}

}  // namespace

void register_peak_fma() {
  if (cpu_supports(Isa::avx2)) benchmark::RegisterBenchmark("BM_peak_fma", bm_peak_fma);
}

}  // namespace syn::bench
