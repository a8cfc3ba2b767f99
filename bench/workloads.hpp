#pragma once
// The peer workloads of ../shared/peers/torch_peer.py, shared by the benchmark binaries that time them
// (bench_recurrent, bench_patchtst, bench_pruned), and the training step that bench_small times too.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "synapse/core/parallel.hpp"
#include "synapse/nn/optimizer.hpp"
#include "synapse/ops/loss.hpp"
#include "synapse/nn/model_config.hpp"
#include "synapse/nn/patchtst.hpp"

namespace syn::bench {

// Recurrent forecaster: batch 64, lookback 96, 1 feature, hidden 64, 2 layers, head to horizon 24
// (Adam lr 1e-3, L1 loss).
inline constexpr int64_t kRecurrentBatch = 64, kRecurrentLookback = 96, kRecurrentHorizon = 24;

inline nn::ModelConfig recurrent_peer_config(const char* kind) {
  nn::ModelConfig c;
  c.kind = kind;
  c.input_size = 1;
  c.lookback = kRecurrentLookback;
  c.horizon = kRecurrentHorizon;
  c.hidden_size = 64;
  c.num_layers = 2;
  return c;
}

// PatchTST: 7 channels, lookback 336, patch 16, stride 8 (42 patches), d_model 128, 16 heads,
// 3 post-norm layers, d_ff 256, horizon 96; batch 32, MSE, Adam (lr 1e-4).
inline constexpr int64_t kPatchChannels = 7, kPatchLookback = 336, kPatchHorizon = 96, kPatchBatch = 32;

inline nn::PatchTSTOptions patchtst_peer_options() {
  return {.channels = kPatchChannels,
          .lookback = kPatchLookback,
          .horizon = kPatchHorizon,
          .patch_len = 16,
          .stride = 8,
          .d_model = 128,
          .n_heads = 16,
          .n_layers = 3,
          .d_ff = 256};
}

// ---- FLOP counts: the matrix products only (2 per multiply-add), for GFLOP/s and % of the FMA peak ----
// A training step counts the forward products, and in backward the weight gradients and the input
// gradients that are computed (not that of the model's input, which needs none): about 3× forward.

// Gate blocks per kind: LSTM 4, GRU 3, RNN 1.
inline int64_t recurrent_gates(const std::string& kind) { return kind == "lstm" ? 4 : kind == "gru" ? 3 : 1; }

// RecurrentForecaster (c.kind, c.num_layers of c.hidden_size over c.lookback steps, head from the last
// hidden state to c.horizon) on `batch` windows of c.input_size features.
inline double recurrent_flops(const nn::ModelConfig& c, int64_t batch, bool training) {
  const double g = static_cast<double>(recurrent_gates(c.kind)), h = static_cast<double>(c.hidden_size);
  const double rows = static_cast<double>(batch * c.lookback);  // one row per window and time step
  double forward = 0, backward = 0;
  for (int64_t l = 0; l < c.num_layers; ++l) {
    const double in = static_cast<double>(l == 0 ? c.input_size : c.hidden_size);
    forward += 2 * rows * g * h * (in + h);            // x·W_ihᵀ and h·W_hhᵀ
    backward += 2 * rows * g * h * (in + 2 * h);       // dW_ih, dW_hh, dh
    if (l > 0) backward += 2 * rows * g * h * in;      // dx into the layer below
  }
  const double head = 2 * static_cast<double>(batch) * h * static_cast<double>(c.horizon);
  return training ? forward + head + backward + 2 * head : forward + head;
}

// PatchTST (o) on `batch` windows: every channel is a sequence of P patches of d_model.
inline double patchtst_flops(const nn::PatchTSTOptions& o, int64_t batch, bool training) {
  const double seqs = static_cast<double>(batch * o.channels);
  const double p = static_cast<double>((o.lookback + o.stride - o.patch_len) / o.stride + 1);  // PatchTST's
  const double d = static_cast<double>(o.d_model), ff = static_cast<double>(o.d_ff);
  const double embed = 2 * seqs * p * static_cast<double>(o.patch_len) * d;
  const double layer = seqs * (2 * p * d * d * 4 + 2 * p * p * d * 2 + 2 * p * d * ff * 2);  // qkvo, qk·v, ffn
  const double head = 2 * seqs * p * d * static_cast<double>(o.horizon);
  const double forward = embed + static_cast<double>(o.n_layers) * layer + head;
  // Backward: weight gradients of everything (≈ forward), input gradients of all but the embedding.
  return training ? forward + forward + (forward - embed) : forward;
}

// While alive, parallel_for uses `n` threads (then the number it had before).
class ScopedThreads {
 public:
  explicit ScopedThreads(int n) : previous_(num_threads()) { set_num_threads(n); }
  ~ScopedThreads() { set_num_threads(previous_); }
  ScopedThreads(const ScopedThreads&) = delete;
  ScopedThreads& operator=(const ScopedThreads&) = delete;

 private:
  int previous_;
};

// Reports `flops` per iteration as a GFLOP/s counter (per CPU second of the benchmark thread, or per
// wall second for benchmarks that UseRealTime, such as the multi-threaded ones).
inline void count_flops(benchmark::State& state, double flops) {
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// One timed training step of a peer workload: zero_grad, loss(model(x), y), backward, optimizer step.
// loss: syn::mse_loss or syn::mae_loss.
template <class Model>
void train_step(Model& model, nn::Optimizer& opt, const Tensor& x, const Tensor& y,
                Tensor (*loss)(const Tensor&, const Tensor&, Reduction)) {
  opt.zero_grad();
  const Tensor value = loss(model.forward(x), y, Reduction::mean);
  value.backward();
  opt.step();
  benchmark::DoNotOptimize(value.data());
}

}  // namespace syn::bench
