#pragma once
// The recurrent forecasters of ../shared/peers (torch_peer.py's LSTMF, torch_small.py's M) in
// libtorch's C++ API, and their timed training step: shared by libtorch_recurrent.cpp (bench_recurrent)
// and libtorch_small.cpp (bench_small), built only when CMake finds Debian's libtorch-dev. torch uses
// as many threads as synapse (OMP_NUM_THREADS).
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cstdint>

#include "synapse/core/parallel.hpp"

namespace syn::bench {

// x: (N, T, features) -> recurrent stack (hidden, layers) -> last step -> Linear -> (N, horizon)
template <class Cell, class Options>
struct TorchForecaster : torch::nn::Module {
  Cell rnn{nullptr};
  torch::nn::Linear head{nullptr};
  TorchForecaster(int64_t features, int64_t hidden, int64_t layers, int64_t horizon) {
    rnn = register_module("rnn", Cell(Options(features, hidden).num_layers(layers).batch_first(true)));
    head = register_module("head", torch::nn::Linear(hidden, horizon));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = std::get<0>(rnn->forward(x));
    return head->forward(y.select(1, -1));
  }
};
using TorchLstm = TorchForecaster<torch::nn::LSTM, torch::nn::LSTMOptions>;
using TorchGru = TorchForecaster<torch::nn::GRU, torch::nn::GRUOptions>;
using TorchRnn = TorchForecaster<torch::nn::RNN, torch::nn::RNNOptions>;

// Times the training step of `model` (Adam at lr, zero_grad + loss + backward + step) on random
// x: (N, T, features) and y: (N, horizon), after `warmup` untimed steps.
template <class Model>
void torch_train_steps(benchmark::State& state, Model& model, double lr, int64_t batch, int64_t lookback,
                       int64_t features, int64_t horizon, bool l1_loss, int warmup) {
  torch::optim::Adam opt(model.parameters(), torch::optim::AdamOptions(lr));
  const torch::Tensor x = torch::randn({batch, lookback, features}), y = torch::randn({batch, horizon});
  auto step = [&] {
    opt.zero_grad();
    torch::Tensor loss = l1_loss ? torch::l1_loss(model.forward(x), y) : torch::mse_loss(model.forward(x), y);
    loss.backward();
    opt.step();
    benchmark::DoNotOptimize(loss.data_ptr());
  };
  for (int i = 0; i < warmup; ++i) step();
  for (auto _ : state) step();
}

// Seeds torch and gives it synapse's thread count.
inline void torch_setup() {
  torch::set_num_threads(syn::num_threads());
  torch::manual_seed(0);
}

}  // namespace syn::bench
