#pragma once
// MultiHeadAttention: torch.nn.MultiheadAttention with batch_first=True, kdim = vdim = embed_dim,
// no add_bias_kv / add_zero_attn, no key padding mask and need_weights=False (forward returns the
// attended values only; torch's TransformerEncoderLayer asks for no weights either).
//
// Parameters, with torch's names and initialisation:
//   in_proj_weight (3E, E): rows [0, E) project the query, [E, 2E) the key, [2E, 3E) the value;
//                           xavier_uniform_
//   in_proj_bias   (3E):    zeros
//   out_proj.weight (E, E): as torch.nn.Linear (kaiming_uniform_, a = sqrt(5))
//   out_proj.bias   (E):    zeros
// (the biases only with options.bias).
//
// y = concat_h(softmax(q_h·k_hᵀ / sqrt(E / H) [+ causal mask]) · v_h) · out_proj.weightᵀ + out_proj.bias
// per head h, through scaled_dot_product_attention. In training with dropout > 0 the attention
// weights are dropped (as torch does), which the fused op does not offer, so that case is composed
// from matmul, softmax and dropout.
#include <cstdint>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

struct MultiHeadAttentionOptions {
  float dropout = 0.f;  // probability of dropping an attention weight in training
  bool bias = true;     // in_proj_bias and out_proj.bias
};

class MultiHeadAttention : public Module {
 public:
  // `gen` initialises the parameters and seeds the dropout stream. ValueError unless embed_dim > 0,
  // num_heads > 0 divides it and dropout is in [0, 1).
  MultiHeadAttention(int64_t embed_dim, int64_t num_heads, Generator& gen,
                     MultiHeadAttentionOptions options = {});

  // query: (B, T, E)  key, value: (B, S, E)  y: (B, T, E). causal: query t attends to keys s <= t only.
  Tensor forward(const Tensor& query, const Tensor& key, const Tensor& value, bool causal = false);
  // Self-attention, forward(x, x, x, causal), with one product through the packed in_proj_weight.
  // x: (B, T, E)  y: (B, T, E)
  Tensor forward(const Tensor& x, bool causal = false);

  int64_t embed_dim() const { return embed_dim_; }
  int64_t num_heads() const { return num_heads_; }
  const Tensor& in_proj_weight() const { return in_proj_weight_; }
  const Tensor& in_proj_bias() const { return in_proj_bias_; }
  const Linear& out_proj() const { return *out_proj_; }

 private:
  void check_input(const char* what, const Tensor& t) const;
  // q: (B, H, T, D)  k, v: (B, H, S, D)  y: (B, T, E)
  Tensor attend_and_project(const Tensor& q, const Tensor& k, const Tensor& v, bool causal);

  int64_t embed_dim_, num_heads_;
  MultiHeadAttentionOptions options_;
  Tensor in_proj_weight_, in_proj_bias_;
  std::shared_ptr<Linear> out_proj_;
  Generator dropout_gen_;
};

}  // namespace syn::nn
