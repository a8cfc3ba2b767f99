// The libtorch (C++) side of bench_recurrent.cpp: the same models, data sizes and steps
// (libtorch_forecaster.hpp).
#include "libtorch_forecaster.hpp"
#include "workloads.hpp"

namespace {

using namespace syn::bench;
const int64_t kHidden = recurrent_peer_config("lstm").hidden_size, kLayers = recurrent_peer_config("lstm").num_layers;

template <class Model>
void BM_train_step_libtorch(benchmark::State& state) {
  torch_setup();
  Model model(1, kHidden, kLayers, kRecurrentHorizon);
  torch_train_steps(state, model, 1e-3, kRecurrentBatch, kRecurrentLookback, 1, kRecurrentHorizon, /*l1_loss=*/true, /*warmup=*/3);
}

template <class Model>
void BM_infer_libtorch(benchmark::State& state) {
  torch_setup();
  Model model(1, kHidden, kLayers, kRecurrentHorizon);
  model.eval();
  const torch::Tensor x = torch::randn({1, kRecurrentLookback, 1});
  torch::NoGradGuard no_grad;
  for (auto _ : state) {
    torch::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
}

}  // namespace

BENCHMARK_TEMPLATE(BM_train_step_libtorch, TorchLstm)->Name("BM_train_step_libtorch/lstm")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_train_step_libtorch, TorchRnn)->Name("BM_train_step_libtorch/rnn")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_train_step_libtorch, TorchGru)->Name("BM_train_step_libtorch/gru")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_infer_libtorch, TorchLstm)->Name("BM_infer_libtorch/lstm/b1")->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_infer_libtorch, TorchRnn)->Name("BM_infer_libtorch/rnn/b1")->Unit(benchmark::kMicrosecond);
