// The libtorch (C++) side of bench_recurrent.cpp: the same models, data sizes and steps, built only
// when CMake finds Debian's libtorch-dev. torch uses as many threads as synapse (OMP_NUM_THREADS).
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "synapse/core/parallel.hpp"

namespace {

constexpr int64_t kBatch = 64, kLookback = 96, kHidden = 64, kLayers = 2, kHorizon = 24;

// shared/peers/torch_peer.py's LSTMF: recurrent stack -> last step -> Linear.
template <class Cell, class Options>
struct Forecaster : torch::nn::Module {
  Cell rnn{nullptr};
  torch::nn::Linear head{nullptr};
  Forecaster() {
    rnn = register_module("rnn", Cell(Options(1, kHidden).num_layers(kLayers).batch_first(true)));
    head = register_module("head", torch::nn::Linear(kHidden, kHorizon));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = std::get<0>(rnn->forward(x));
    return head->forward(y.select(1, -1));
  }
};
using LstmForecaster = Forecaster<torch::nn::LSTM, torch::nn::LSTMOptions>;
using RnnForecaster = Forecaster<torch::nn::RNN, torch::nn::RNNOptions>;

template <class Model>
void BM_train_step_libtorch(benchmark::State& state) {
  torch::set_num_threads(syn::num_threads());
  torch::manual_seed(0);
  Model model;
  torch::optim::Adam opt(model.parameters(), torch::optim::AdamOptions(1e-3));
  const torch::Tensor x = torch::randn({kBatch, kLookback, 1}), y = torch::randn({kBatch, kHorizon});
  for (auto _ : state) {
    opt.zero_grad();
    torch::Tensor loss = torch::l1_loss(model.forward(x), y);
    loss.backward();
    opt.step();
    benchmark::DoNotOptimize(loss.item<float>());
  }
}

template <class Model>
void BM_infer_libtorch(benchmark::State& state) {
  torch::set_num_threads(syn::num_threads());
  torch::manual_seed(0);
  Model model;
  model.eval();
  const torch::Tensor x = torch::randn({1, kLookback, 1});
  torch::NoGradGuard no_grad;
  for (auto _ : state) {
    torch::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_train_step_libtorch, LstmForecaster)
    ->Name("BM_train_step_libtorch/lstm")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_train_step_libtorch, RnnForecaster)
    ->Name("BM_train_step_libtorch/rnn")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_infer_libtorch, LstmForecaster)
    ->Name("BM_infer_libtorch/lstm/b1")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_infer_libtorch, RnnForecaster)
    ->Name("BM_infer_libtorch/rnn/b1")
    ->Unit(benchmark::kMicrosecond);
