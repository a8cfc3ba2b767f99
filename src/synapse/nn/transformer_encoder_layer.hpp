#pragma once
// TransformerEncoderLayer and TransformerEncoder: torch.nn.TransformerEncoderLayer (batch_first=True)
// and torch.nn.TransformerEncoder without a final norm, with torch's child names
// (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2; a stack's `layers.0...`).
//
// Post-norm (norm_first = false, torch's default):
//   x = norm1(x + dropout1(self_attn(x)));  x = norm2(x + dropout2(linear2(dropout(act(linear1(x))))))
// Pre-norm (norm_first = true):
//   x = x + dropout1(self_attn(norm1(x)));  x = x + dropout2(linear2(dropout(act(linear1(norm2(x))))))
//
// norm = batch puts PatchTST's "BatchNorm" in the place of LayerNorm: BatchNorm1d(d_model) over
// every token of the batch (PatchTST writes it Transpose(1, 2), BatchNorm1d, Transpose(1, 2); the
// same statistics come from viewing x (B, T, E) as (B·T, E), without transposes).
#include <cstdint>
#include <memory>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/nn/multi_head_attention.hpp"

namespace syn::nn {

enum class Activation { relu, gelu };
enum class NormKind { layer, batch };

// torch's defaults, except that d_model and n_heads must be given.
struct TransformerEncoderLayerOptions {
  int64_t d_model = 0;
  int64_t n_heads = 0;
  int64_t d_ff = 2048;
  float dropout = 0.1f;  // attention weights, the feed-forward hidden layer, both residual branches
  Activation activation = Activation::relu;
  bool norm_first = false;
  float norm_eps = 1e-5f;
  NormKind norm = NormKind::layer;
};

class TransformerEncoderLayer : public Module {
 public:
  // `gen` initialises the parameters as torch does and seeds the dropout stream. ValueError for
  // sizes <= 0, d_model not divisible by n_heads, or dropout outside [0, 1).
  TransformerEncoderLayer(const TransformerEncoderLayerOptions& options, Generator& gen);

  // x: (B, T, d_model) -> y: (B, T, d_model). causal: token t attends to tokens <= t only.
  Tensor forward(const Tensor& x, bool causal = false);

  const TransformerEncoderLayerOptions& options() const { return options_; }
  MultiHeadAttention& self_attn() { return *self_attn_; }

 private:
  Tensor norm(Module& which, const Tensor& x);
  Tensor attention_block(const Tensor& x, bool causal);
  Tensor feed_forward_block(const Tensor& x);

  TransformerEncoderLayerOptions options_;
  std::shared_ptr<MultiHeadAttention> self_attn_;
  std::shared_ptr<Linear> linear1_, linear2_;
  std::shared_ptr<Module> norm1_, norm2_;
  Generator dropout_gen_;
};

class TransformerEncoder : public Module {
 public:
  // num_layers copies of one layer. identical_init (torch's behaviour: TransformerEncoder deep-copies
  // the layer it is given) starts every layer from the first one's parameters; otherwise each layer
  // is initialised from `gen` in turn. ValueError for num_layers <= 0.
  TransformerEncoder(const TransformerEncoderLayerOptions& options, int64_t num_layers, Generator& gen,
                     bool identical_init = true);

  // x: (B, T, d_model) -> y: (B, T, d_model)
  Tensor forward(const Tensor& x, bool causal = false);

  const std::vector<std::shared_ptr<TransformerEncoderLayer>>& layers() const { return layers_; }

 private:
  std::vector<std::shared_ptr<TransformerEncoderLayer>> layers_;
};

}  // namespace syn::nn
