#pragma once
// PatchTST (Nie et al., ICLR 2023) as the peer workload ../shared/peers/torch_peer.py builds it,
// with PatchTST's own options (RevIN, BatchNorm in the encoder, dropout) on top. Channel
// independence: every channel of every sample is one sequence of patches through shared weights.
//
//   x (B, L, C) -> [RevIN normalize] -> per channel (B·C, L) -> replicate the last value S times
//   -> patches (B·C, n, P), n = (L + S - P) / S + 1 (= (L - P) / S + 2 when L >= P)
//   -> emb: Linear(P, d) + pos (1, n, d) -> dropout -> encoder (n_layers post-norm layers)
//   -> flatten (B·C, n·d) -> head: Linear(n·d, H) -> (B, H, C) -> [RevIN denormalize]
//
// Parameter names: revin.affine_weight / revin.affine_bias (with RevIN), emb.weight, emb.bias, pos,
// enc.layers.<i>.<TransformerEncoderLayer names>, head.weight, head.bias. Initialisation as the
// peer's: torch.nn.Linear for emb and head, pos ~ N(0, 0.02²), torch's TransformerEncoder (every
// layer starts as a copy of the first).
#include <cstdint>
#include <memory>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/nn/revin.hpp"
#include "synapse/nn/transformer_encoder_layer.hpp"

namespace syn::nn {

// Defaults: the peer workload (LayerNorm, ReLU, no RevIN, no dropout).
struct PatchTSTOptions {
  int64_t channels = 7;  // C (RevIN holds one affine pair per channel)
  int64_t lookback = 336;
  int64_t horizon = 96;
  int64_t patch_len = 16;
  int64_t stride = 8;
  int64_t d_model = 128;
  int64_t n_heads = 16;
  int64_t n_layers = 3;
  int64_t d_ff = 256;
  float dropout = 0.f;  // after the embedding and everywhere in the encoder
  Activation activation = Activation::relu;
  NormKind norm = NormKind::layer;
  bool revin = false;
};

class PatchTST : public Module {
 public:
  // ValueError naming the option for sizes <= 0, lookback + stride < patch_len, d_model not
  // divisible by n_heads, or dropout outside [0, 1).
  PatchTST(const PatchTSTOptions& options, Generator& gen);

  // x: (B, lookback, channels) -> y: (B, horizon, channels)
  Tensor forward(const Tensor& x);
  // x: (B, lookback, C') holding channels first .. first + C' - 1 -> y: (B, horizon, C'). Equals
  // those channels of forward() on all of them whenever the channels are independent (LayerNorm, or
  // BatchNorm in evaluation), at C'/C of the cost.
  Tensor forward_channels(const Tensor& x, int64_t first);

  const PatchTSTOptions& options() const { return options_; }
  int64_t num_patches() const { return num_patches_; }
  TransformerEncoder& encoder() { return *enc_; }

 private:
  PatchTSTOptions options_;
  int64_t num_patches_;
  std::shared_ptr<RevIN> revin_;
  std::shared_ptr<Linear> emb_, head_;
  Tensor pos_;
  std::shared_ptr<TransformerEncoder> enc_;
  Generator dropout_gen_;
};

}  // namespace syn::nn
