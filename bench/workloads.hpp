#pragma once
// The peer workloads of ../shared/peers/torch_peer.py, shared by the benchmark binaries that time them
// (bench_recurrent, bench_patchtst, bench_pruned).
#include <cstdint>

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

}  // namespace syn::bench
