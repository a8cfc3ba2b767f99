// Recurrent forecasters, the peer workload of shared/peers/torch_peer.py: an LSTM / RNN forecaster
// (batch 64, lookback 96, 1 feature, hidden 64, 2 layers, head to horizon 24) trained with Adam
// (lr 1e-3) on the L1 loss: forward + backward + optimizer step; and batch-1 inference under
// InferenceMode (and batch 64, the batch inference of predict); .../threads:2 on two threads (per wall
// second). GFLOP/s counts the matrix products (workloads.hpp); BM_peak_fma and BM_l2_read in the same
// binary give the limits. With Debian's libtorch-dev, libtorch_recurrent.cpp adds the same
// configurations in libtorch C++ (BM_*_libtorch) to this binary. bench/README.md, "Whole steps".
#include <benchmark/benchmark.h>

#include <string>

#include "synapse/core/grad_mode.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/ops/loss.hpp"
#include "bench_main.hpp"
#include "peak_fma.hpp"
#include "workloads.hpp"

namespace {

using syn::bench::kRecurrentBatch;
using syn::bench::kRecurrentHorizon;
using syn::bench::kRecurrentLookback;
using syn::bench::recurrent_peer_config;

// threads: parallel_for's threads (results are bitwise those of one thread, Note [Determinism]).
void BM_train_step(benchmark::State& state, const char* kind, int threads) {
  const syn::bench::ScopedThreads scoped(threads);
  syn::nn::RecurrentForecaster model(recurrent_peer_config(kind));
  syn::nn::Adam opt(model.parameters(), 1e-3);
  syn::Generator gen(0);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{kRecurrentBatch, kRecurrentLookback, 1}, gen);
  const syn::Tensor y = syn::Tensor::randn(syn::Shape{kRecurrentBatch, kRecurrentHorizon}, gen);
  for (auto _ : state) syn::bench::train_step(model, opt, x, y, syn::mae_loss);
  syn::bench::count_flops(state, syn::bench::recurrent_flops(recurrent_peer_config(kind), kRecurrentBatch, true));
}

void BM_infer(benchmark::State& state, const char* kind, int64_t batch, int threads) {
  const syn::bench::ScopedThreads scoped(threads);
  syn::nn::RecurrentForecaster model(recurrent_peer_config(kind));
  model.eval();
  syn::Generator gen(0);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{batch, kRecurrentLookback, 1}, gen);
  syn::InferenceMode inference;
  for (auto _ : state) {
    syn::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data());
  }
  syn::bench::count_flops(state, syn::bench::recurrent_flops(recurrent_peer_config(kind), batch, false));
}

void register_all() {
  syn::bench::register_peak_fma();
  // The bound of batch-1 inference: both layers' recurrent weights (4H x H floats each, H = 64) are
  // read from L2 once per time step (bench/README.md, "Whole steps").
  syn::bench::register_l2_read(2 * 4 * 64 * 64 * int64_t{sizeof(float)});
  for (const char* kind : {"lstm", "rnn", "gru"}) {
    const std::string name = std::string("BM_train_step/") + kind;
    benchmark::RegisterBenchmark(name.c_str(), BM_train_step, kind, 1)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((name + "/threads:2").c_str(), BM_train_step, kind, 2)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* kind : {"lstm", "rnn"})
    benchmark::RegisterBenchmark((std::string("BM_infer/") + kind + "/b1").c_str(), BM_infer, kind, 1, 1)
        ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_infer/lstm/b64", BM_infer, "lstm", 64, 1)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_infer/lstm/b64/threads:2", BM_infer, "lstm", 64, 2)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace

SYN_BENCH_MAIN(register_all)
