#include "synapse/nn/multi_head_attention.hpp"

#include <cmath>
#include <limits>

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/ops/attention.hpp"
#include "synapse/ops/dropout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/matmul.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/softmax.hpp"

namespace syn::nn {
namespace {

// x: (B, T, H·D) -> (B, H, T, D)
Tensor split_heads(const Tensor& x, int64_t heads) {
  return permute(reshape(x, {x.size(0), x.size(1), heads, x.size(2) / heads}), {0, 2, 1, 3});
}

// q: (B, H, T, D)  k: (B, H, S, D)  v: (B, H, S, D)  y: (B, H, T, D)
// softmax(q·kᵀ / sqrt(D) [+ causal mask]), dropped, times v: the composed attention of
// ops/attention_composed.hpp with dropout on the weights.
Tensor attention_with_dropout(const Tensor& q, const Tensor& k, const Tensor& v, bool causal, float p,
                              Generator& gen) {
  const int64_t t = q.size(2), s = k.size(2);
  Tensor scores = mul(matmul(q, transpose(k, -1, -2)), 1.f / std::sqrt(static_cast<float>(q.size(3))));
  if (causal) {
    Tensor mask = Tensor::zeros(Shape{t, s});
    float* m = mask.mutable_data();
    for (int64_t i = 0; i < t; ++i)
      for (int64_t j = i + 1; j < s; ++j) m[i * s + j] = -std::numeric_limits<float>::infinity();
    scores = add(scores, mask);
  }
  return matmul(dropout(softmax(scores, -1), p, /*training=*/true, gen), v);
}

}  // namespace

MultiHeadAttention::MultiHeadAttention(int64_t embed_dim, int64_t num_heads, Generator& gen,
                                       MultiHeadAttentionOptions options)
    : embed_dim_(embed_dim), num_heads_(num_heads), options_(options) {
  SYN_CHECK_T(ValueError, embed_dim > 0 && num_heads > 0 && embed_dim % num_heads == 0,
              "MultiHeadAttention: embed_dim ", embed_dim, " must be positive and divisible by num_heads ",
              num_heads);
  SYN_CHECK_T(ValueError, options.dropout >= 0.f && options.dropout < 1.f, "MultiHeadAttention: dropout ",
              options.dropout, " must be in [0, 1)");
  in_proj_weight_ = register_parameter("in_proj_weight", Tensor::empty(Shape{3 * embed_dim, embed_dim}));
  init::xavier_uniform_(in_proj_weight_, gen);
  if (options.bias) in_proj_bias_ = register_parameter("in_proj_bias", Tensor::zeros(Shape{3 * embed_dim}));
  out_proj_ = register_module("out_proj", std::make_shared<Linear>(embed_dim, embed_dim, gen, options.bias));
  if (options.bias) init::zeros_(out_proj_->bias());
  dropout_gen_ = Generator(gen.next_u64());
  register_random_stream("dropout", dropout_gen_);
}

void MultiHeadAttention::check_input(const char* what, const Tensor& t) const {
  SYN_CHECK_T(ShapeError, t.rank() == 3 && t.size(2) == embed_dim_, "MultiHeadAttention: ", what, " ",
              t.shape(), " must be (B, T, ", embed_dim_, ")");
}

Tensor MultiHeadAttention::forward(const Tensor& x, bool causal) {
  check_input("x", x);
  const int64_t b = x.size(0), t = x.size(1), h = num_heads_, d = embed_dim_ / num_heads_;
  // One product with the whole in_proj_weight (so that a pruning mask on it reaches linear; views
  // carry no mask), then (B, T, 3E) -> (3, B, H, T, D) in one copy; q, k and v are views of that.
  const Tensor qkv =
      permute(reshape(linear(x, in_proj_weight_, in_proj_bias_), {b, t, 3, h, d}), {2, 0, 3, 1, 4});
  auto part = [&](int64_t i) { return reshape(narrow(qkv, 0, i, 1), {b, h, t, d}); };
  return attend_and_project(part(0), part(1), part(2), causal);
}

Tensor MultiHeadAttention::forward(const Tensor& query, const Tensor& key, const Tensor& value, bool causal) {
  check_input("query", query);
  check_input("key", key);
  check_input("value", value);
  SYN_CHECK_T(ShapeError, key.shape() == value.shape() && key.size(0) == query.size(0),
              "MultiHeadAttention: query ", query.shape(), ", key ", key.shape(), " and value ",
              value.shape(), " must be (B, T, E), (B, S, E) and (B, S, E)");
  const int64_t e = embed_dim_;
  // Row block i of the packed projection (views, so gradients reach in_proj_weight / in_proj_bias;
  // a view carries no mask, so this path computes densely under pruning).
  auto project = [&](const Tensor& input, int64_t i) {
    const Tensor bias = in_proj_bias_.defined() ? narrow(in_proj_bias_, 0, i * e, e) : Tensor();
    return split_heads(linear(input, narrow(in_proj_weight_, 0, i * e, e), bias), num_heads_);
  };
  return attend_and_project(project(query, 0), project(key, 1), project(value, 2), causal);
}

Tensor MultiHeadAttention::attend_and_project(const Tensor& q, const Tensor& k, const Tensor& v,
                                              bool causal) {
  const Tensor o = dropout_active() && options_.dropout > 0.f
                       ? attention_with_dropout(q, k, v, causal, options_.dropout, dropout_gen_)
                       : scaled_dot_product_attention(q, k, v, causal);
  // (B, H, T, D) -> (B, T, H·D)
  const Tensor merged = reshape(permute(o, {0, 2, 1, 3}), {o.size(0), o.size(2), embed_dim_});
  return out_proj_->forward(merged);
}

}  // namespace syn::nn
