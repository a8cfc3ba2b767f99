// BM_peak_fma and BM_l2_read for the benchmark binaries that report against them (baseline code).
#include "peak_fma.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "synapse/core/cpu_features.hpp"
#include "synapse/core/error.hpp"

namespace syn::bench {
namespace {

void bm_peak_fma(benchmark::State& state) {
  const bool avx512 = cpu_supports(Isa::avx512);
  double flops = 0;
  for (auto _ : state) flops += avx512 ? peak_fma_avx512(1 << 20) : peak_fma_avx2(1 << 20);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
  state.SetLabel(avx512 ? "avx512" : "avx2");
}

void bm_l2_read(benchmark::State& state, int64_t bytes) {
  const bool avx512 = cpu_supports(Isa::avx512);
  std::vector<float> buffer(static_cast<size_t>(bytes) / sizeof(float), 1.f);
  const auto n = static_cast<int64_t>(buffer.size());
  double read = 0;
  for (auto _ : state)
    read += avx512 ? l2_read_avx512(buffer.data(), n, 64) : l2_read_avx2(buffer.data(), n, 64);
  state.counters["GB/s"] = benchmark::Counter(read * 1e-9, benchmark::Counter::kIsRate);
  state.SetLabel(avx512 ? "avx512" : "avx2");
}

}  // namespace

void register_peak_fma() {
  if (cpu_supports(Isa::avx2)) benchmark::RegisterBenchmark("BM_peak_fma", bm_peak_fma);
}

void register_l2_read(int64_t bytes) {
  SYN_CHECK(bytes % 512 == 0, "register_l2_read: ", bytes, " bytes is not a multiple of 512");
  if (cpu_supports(Isa::avx2))
    benchmark::RegisterBenchmark(("BM_l2_read/" + std::to_string(bytes)).c_str(), bm_l2_read, bytes);
}

}  // namespace syn::bench
