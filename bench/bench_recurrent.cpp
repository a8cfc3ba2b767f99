// Recurrent forecasters, the peer workload of shared/peers/torch_peer.py: an LSTM / RNN forecaster
// (batch 64, lookback 96, 1 feature, hidden 64, 2 layers, head to horizon 24) trained with Adam
// (lr 1e-3) on the L1 loss: forward + backward + optimizer step; and batch-1 inference under
// InferenceMode. With Debian's libtorch-dev, libtorch_recurrent.cpp adds the same configurations in
// libtorch C++ (BM_*_libtorch) to this binary. bench/README.md, "Recurrent models", has the figures.
#include <benchmark/benchmark.h>

#include "synapse/core/grad_mode.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/ops/loss.hpp"
#include "workloads.hpp"

namespace {

using syn::bench::kRecurrentBatch;
using syn::bench::kRecurrentHorizon;
using syn::bench::kRecurrentLookback;
using syn::bench::recurrent_peer_config;

void BM_train_step(benchmark::State& state, const char* kind) {
  syn::nn::RecurrentForecaster model(recurrent_peer_config(kind));
  syn::nn::Adam opt(model.parameters(), 1e-3);
  syn::Generator gen(0);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{kRecurrentBatch, kRecurrentLookback, 1}, gen);
  const syn::Tensor y = syn::Tensor::randn(syn::Shape{kRecurrentBatch, kRecurrentHorizon}, gen);
  for (auto _ : state) {
    opt.zero_grad();
    syn::Tensor loss = syn::mae_loss(model.forward(x), y);
    loss.backward();
    opt.step();
    benchmark::DoNotOptimize(loss.item());
  }
}

void BM_infer(benchmark::State& state, const char* kind, int64_t batch) {
  syn::nn::RecurrentForecaster model(recurrent_peer_config(kind));
  model.eval();
  syn::Generator gen(0);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{batch, kRecurrentLookback, 1}, gen);
  syn::InferenceMode inference;
  for (auto _ : state) {
    syn::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data());
  }
}

}  // namespace

BENCHMARK_CAPTURE(BM_train_step, lstm, "lstm")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_train_step, rnn, "rnn")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_train_step, gru, "gru")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_infer, lstm_b1, "lstm", 1)->Name("BM_infer/lstm/b1")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_infer, rnn_b1, "rnn", 1)->Name("BM_infer/rnn/b1")->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
