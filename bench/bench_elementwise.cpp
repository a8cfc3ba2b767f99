// Elementwise kernels per instruction set against the scalar reference: add, mul, exp, tanh,
// sigmoid, gelu at 4096, 65536 and 1048576 floats, single-threaded, named BM_<kernel>/<isa>/<n>.
// Bytes processed count every float read and written (binary: 3 n floats, unary: 2 n).
// Run: build/release/bench/bench_elementwise --benchmark_format=json --benchmark_out=elementwise.json
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench_main.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace {

using syn::Isa;
using syn::kernels::BinaryFn;
using syn::kernels::ElementwiseKernels;
using syn::kernels::UnaryFn;

// Inputs in [-6, 6]: the range activations see, covering every branch of the approximations.
std::vector<float> inputs(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-6.f, 6.f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = dist(rng);
  return v;
}

void run_unary(benchmark::State& state, UnaryFn fn, int64_t n) {
  const std::vector<float> x = inputs(n, 1);
  std::vector<float> y(static_cast<size_t>(n));
  for (auto _ : state) {
    fn(x.data(), y.data(), n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * n * 2 * static_cast<int64_t>(sizeof(float)));
}

void run_binary(benchmark::State& state, BinaryFn fn, int64_t n) {
  const std::vector<float> a = inputs(n, 1), b = inputs(n, 2);
  std::vector<float> y(static_cast<size_t>(n));
  for (auto _ : state) {
    fn(a.data(), b.data(), y.data(), n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * n * 3 * static_cast<int64_t>(sizeof(float)));
}

struct Unary {
  const char* name;
  UnaryFn ElementwiseKernels::*fn;
};
struct Binary {
  const char* name;
  BinaryFn ElementwiseKernels::*fn;
};

void register_all() {
  const Binary binaries[] = {{"add", &ElementwiseKernels::add}, {"mul", &ElementwiseKernels::mul}};
  const Unary unaries[] = {{"exp", &ElementwiseKernels::exp},
                           {"tanh", &ElementwiseKernels::tanh},
                           {"sigmoid", &ElementwiseKernels::sigmoid},
                           {"gelu", &ElementwiseKernels::gelu}};
  const int64_t sizes[] = {4096, 65536, 1048576};
  auto name = [](const char* kernel, Isa isa, int64_t n) {
    return std::string("BM_") + kernel + "/" + syn::isa_name(isa) + "/" + std::to_string(n);
  };
  for (const Binary& k : binaries)
    for (Isa isa : syn::supported_isas())
      for (int64_t n : sizes) {
        const BinaryFn fn = syn::kernels::elementwise_kernels_for(isa)->*k.fn;
        benchmark::RegisterBenchmark(name(k.name, isa, n).c_str(),
                                     [fn, n](benchmark::State& s) { run_binary(s, fn, n); });
      }
  for (const Unary& k : unaries)
    for (Isa isa : syn::supported_isas())
      for (int64_t n : sizes) {
        const UnaryFn fn = syn::kernels::elementwise_kernels_for(isa)->*k.fn;
        benchmark::RegisterBenchmark(name(k.name, isa, n).c_str(),
                                     [fn, n](benchmark::State& s) { run_unary(s, fn, n); });
      }
}

}  // namespace

SYN_BENCH_MAIN(register_all)
