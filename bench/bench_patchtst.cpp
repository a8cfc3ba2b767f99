// PatchTST, the peer workload of ../shared/peers/torch_peer.py: 7 channels, lookback 336, patch 16,
// stride 8 (42 patches), d_model 128, 16 heads, 3 post-norm layers, d_ff 256, horizon 96.
//   BM_train_step/patchtst       batch 32, MSE, Adam (lr 1e-4): forward + backward + step
//   BM_infer/patchtst/b1         batch 1, InferenceMode, evaluation mode
//   BM_infer/patchtst_forecaster/b1  the same model as a PatchTSTForecaster: only the target channel
//                                    runs (patchtst_forecaster.hpp), the prediction path of the library
// With libtorch (Debian's libtorch-dev, found by CMake) the same model and steps in libtorch's C++ API
// run in the same binary: BM_train_step_libtorch/patchtst, BM_infer_libtorch/patchtst/b1.
//   .../threads:2                the same on two threads (per wall second)
// GFLOP/s counts the matrix products (workloads.hpp); BM_peak_fma in the same binary gives % of peak.
// Run single-threaded like the peer: OMP_NUM_THREADS=1 build/release/bench/bench_patchtst
#include <benchmark/benchmark.h>

#include "synapse/core/grad_mode.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/patchtst.hpp"
#include "synapse/nn/patchtst_forecaster.hpp"
#include "synapse/ops/loss.hpp"
#include "bench_main.hpp"
#include "peak_fma.hpp"
#include "workloads.hpp"

#ifdef SYN_HAVE_LIBTORCH
#include <torch/torch.h>
#endif

namespace {

constexpr int64_t kChannels = syn::bench::kPatchChannels, kLookback = syn::bench::kPatchLookback,
                  kHorizon = syn::bench::kPatchHorizon, kBatch = syn::bench::kPatchBatch;
using syn::bench::patchtst_peer_options;

// threads: parallel_for's threads (results are bitwise those of one thread, Note [Determinism]).
void BM_train_step(benchmark::State& state, int threads) {
  const syn::bench::ScopedThreads scoped(threads);
  syn::Generator gen(0);
  syn::nn::PatchTST model(patchtst_peer_options(), gen);
  syn::nn::Adam adam(model.parameters(), 1e-4);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{kBatch, kLookback, kChannels}, gen);
  const syn::Tensor y = syn::Tensor::randn(syn::Shape{kBatch, kHorizon, kChannels}, gen);
  for (auto _ : state) syn::bench::train_step(model, adam, x, y, syn::mse_loss);
  syn::bench::count_flops(state, syn::bench::patchtst_flops(patchtst_peer_options(), kBatch, true));
}

void BM_infer(benchmark::State& state, int threads) {
  const syn::bench::ScopedThreads scoped(threads);
  syn::Generator gen(0);
  syn::nn::PatchTST model(patchtst_peer_options(), gen);
  model.eval();
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{1, kLookback, kChannels}, gen);
  syn::InferenceMode inference;
  for (auto _ : state) {
    const syn::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data());
  }
  syn::bench::count_flops(state, syn::bench::patchtst_flops(patchtst_peer_options(), 1, false));
}

void BM_infer_forecaster(benchmark::State& state) {
  syn::nn::ModelConfig config;
  config.kind = "patchtst";
  config.input_size = kChannels;
  config.lookback = kLookback;
  config.horizon = kHorizon;
  config.norm = "layer";
  config.activation = "relu";
  config.revin = false;
  syn::nn::PatchTSTForecaster model(config);
  model.eval();
  syn::Generator gen(0);
  const syn::Tensor x = syn::Tensor::randn(syn::Shape{1, kLookback, kChannels}, gen);
  syn::InferenceMode inference;
  for (auto _ : state) {
    const syn::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data());
  }
}

#ifdef SYN_HAVE_LIBTORCH
// The peer's PatchTST in libtorch's C++ API. libtorch's TransformerEncoderLayer is sequence-first
// (no batch_first option), so the encoder runs on the transposed activations.
struct TorchPatchTST : torch::nn::Module {
  int64_t patch_len = 16, stride = 8, patches = (kLookback - 16) / 8 + 2, d_model = 128;
  torch::nn::Linear emb{nullptr}, head{nullptr};
  torch::Tensor pos;
  torch::nn::TransformerEncoder enc{nullptr};

  TorchPatchTST() {
    emb = register_module("emb", torch::nn::Linear(patch_len, d_model));
    pos = register_parameter("pos", torch::randn({1, patches, d_model}) * 0.02);
    const auto layer = torch::nn::TransformerEncoderLayer(
        torch::nn::TransformerEncoderLayerOptions(d_model, 16).dim_feedforward(256).dropout(0.0));
    enc =
        register_module("enc", torch::nn::TransformerEncoder(torch::nn::TransformerEncoderOptions(layer, 3)));
    head = register_module("head", torch::nn::Linear(patches * d_model, kHorizon));
  }

  // x: (B, L, C) -> (B, H, C)
  torch::Tensor forward(torch::Tensor x) {
    const int64_t b = x.size(0), l = x.size(1), c = x.size(2);
    x = x.permute({0, 2, 1}).reshape({b * c, l});
    x = torch::cat({x, x.slice(1, l - 1, l).expand({-1, stride})}, 1);
    torch::Tensor z = emb->forward(x.unfold(1, patch_len, stride)) + pos;
    z = enc->forward(z.transpose(0, 1)).transpose(0, 1);
    return head->forward(z.flatten(1)).reshape({b, c, -1}).permute({0, 2, 1});
  }
};

void BM_train_step_libtorch(benchmark::State& state) {
  torch::manual_seed(0);
  TorchPatchTST model;
  torch::optim::Adam adam(model.parameters(), torch::optim::AdamOptions(1e-4));
  const torch::Tensor x = torch::randn({kBatch, kLookback, kChannels});
  const torch::Tensor y = torch::randn({kBatch, kHorizon, kChannels});
  for (auto _ : state) {
    adam.zero_grad();
    const torch::Tensor loss = torch::mse_loss(model.forward(x), y);
    loss.backward();
    adam.step();
    benchmark::DoNotOptimize(loss.data_ptr());
  }
}

void BM_infer_libtorch(benchmark::State& state) {
  torch::manual_seed(0);
  TorchPatchTST model;
  model.eval();
  const torch::Tensor x = torch::randn({1, kLookback, kChannels});
  torch::InferenceMode inference;
  for (auto _ : state) {
    const torch::Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data_ptr());
  }
}
#endif

}  // namespace

BENCHMARK_CAPTURE(BM_train_step, 1, 1)->Name("BM_train_step/patchtst")->MinWarmUpTime(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_train_step, 2, 2)
    ->Name("BM_train_step/patchtst/threads:2")
    ->MinWarmUpTime(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_infer, 1, 1)->Name("BM_infer/patchtst/b1")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_infer, 2, 2)->Name("BM_infer/patchtst/b1/threads:2")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_infer_forecaster)->Name("BM_infer/patchtst_forecaster/b1")->Unit(benchmark::kMillisecond);
#ifdef SYN_HAVE_LIBTORCH
BENCHMARK(BM_train_step_libtorch)->Name("BM_train_step_libtorch/patchtst")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_infer_libtorch)->Name("BM_infer_libtorch/patchtst/b1")->Unit(benchmark::kMillisecond);
#endif
SYN_BENCH_MAIN(syn::bench::register_peak_fma)
