// Study-sized models (bench/README.md, "Study-sized models"): the recurrent forecasters a study grid
// trains by the thousand, so per-step overhead (tape, dispatch, allocations) rather than FLOPs decides
// their time. The peer is ../shared/peers/torch_small.py.
//   BM_peak_fma                               the FMA peak of one core, for % of peak
//   BM_train_step/{lstm,rnn}_small/T:t/f:f    one layer of 64 units, lookback t, f input features,
//                                             batch 64, horizon 1; Adam (lr 1e-3) on the MSE:
//                                             forward + backward + optimizer step
// Counters per step:
//   GFLOP/s                the gate products' FLOPs per second: forward 2·N·G·H·(f+H)·T, the weight
//                          gradients as many again, the hidden-state gradient 2·N·G·H·H·T
//                          (G = 4 gates for an LSTM, 1 for an RNN; the input needs no gradient)
//   allocs_per_step        tensor buffers allocated (every cached_alloc call, Note [Buffer cache])
//   cache_misses_per_step  of those, blocks of at least kCachedBytes the cache did not have
//   heap_allocs_per_step   every operator new of the step (tape nodes, shared_ptrs, vectors, ...)
//   page_faults_per_step   minor page faults of the process (getrusage): fresh pages touched
// With libtorch (Debian's libtorch-dev, found by CMake) the same models and steps in libtorch's C++ API
// run in the same binary: BM_train_step_libtorch/{lstm,rnn}_small/T:t/f:f (libtorch_small.cpp).
// Run single-threaded: OMP_NUM_THREADS=1 build/release/bench/bench_small --benchmark_format=json
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "bench_main.hpp"
#include "peak_fma.hpp"
#include "workloads.hpp"
#ifdef SYN_HAVE_LIBTORCH
#include "libtorch_small.hpp"
#endif
#include "synapse/core/buffer_cache.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/ops/loss.hpp"

namespace {

std::atomic<uint64_t> heap_allocations{0};

}  // namespace

// Counts every plain operator new of the binary; delete stays the library's (free).
void* operator new(std::size_t bytes) {
  heap_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

constexpr int64_t kBatch = 64, kHidden = 64;

long minor_page_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

void bm_train_small(benchmark::State& state, const char* kind, int64_t lookback, int64_t features) {
  syn::nn::ModelConfig c;
  c.kind = kind;
  c.input_size = features;
  c.lookback = lookback;
  c.horizon = 1;
  c.hidden_size = kHidden;
  c.num_layers = 1;
  syn::nn::RecurrentForecaster model(c);
  syn::nn::Adam opt(model.parameters(), 1e-3);
  syn::Generator gen(0);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{kBatch, lookback, features}, gen);
  const syn::Tensor y = syn::Tensor::randn(syn::Shape{kBatch, 1}, gen);
  auto step = [&] { syn::bench::train_step(model, opt, x, y, syn::mse_loss); };
  for (int i = 0; i < 3; ++i) step();  // Adam's state and the buffer cache reach their steady state
  const syn::BufferCacheStats before = syn::buffer_cache_stats();
  const uint64_t heap_before = heap_allocations.load();
  const long faults_before = minor_page_faults();
  for (auto _ : state) step();
  const long faults = minor_page_faults() - faults_before;
  const syn::BufferCacheStats after = syn::buffer_cache_stats();
  const auto steps = static_cast<double>(state.iterations());
  const double gates = std::string(kind) == "lstm" ? 4 : 1;
  const double flops = 2.0 * kBatch * gates * kHidden * lookback * (2.0 * (features + kHidden) + kHidden);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["allocs_per_step"] = static_cast<double>(after.allocations() - before.allocations()) / steps;
  state.counters["cache_misses_per_step"] = static_cast<double>(after.misses - before.misses) / steps;
  state.counters["heap_allocs_per_step"] = static_cast<double>(heap_allocations.load() - heap_before) / steps;
  state.counters["page_faults_per_step"] = static_cast<double>(faults) / steps;
}

void register_all() {
  syn::bench::register_peak_fma();
  for (const char* kind : {"lstm", "rnn"})
    for (int64_t features : {1, 13})
      for (int64_t lookback : {7, 30, 60}) {
        const std::string name = "BM_train_step/" + std::string(kind) + "_small/T:" + std::to_string(lookback) +
                                 "/f:" + std::to_string(features);
        benchmark::RegisterBenchmark(name.c_str(), bm_train_small, kind, lookback, features)
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(0.3);
#ifdef SYN_HAVE_LIBTORCH
        syn::bench::register_libtorch_small(kind, lookback, features);
#endif
      }
}

}  // namespace

SYN_BENCH_MAIN(register_all)
