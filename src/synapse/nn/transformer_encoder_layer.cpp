#include "synapse/nn/transformer_encoder_layer.hpp"

#include <string>

#include "synapse/core/error.hpp"
#include "synapse/nn/batch_norm1d.hpp"
#include "synapse/nn/layer_norm_module.hpp"
#include "synapse/ops/activation.hpp"
#include "synapse/ops/dropout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {
namespace {

std::shared_ptr<Module> make_norm(const TransformerEncoderLayerOptions& o) {
  if (o.norm == NormKind::batch)
    return std::make_shared<BatchNorm1d>(o.d_model, BatchNorm1dOptions{.eps = o.norm_eps});
  return std::make_shared<LayerNorm>(Shape{o.d_model}, o.norm_eps);
}

}  // namespace

TransformerEncoderLayer::TransformerEncoderLayer(const TransformerEncoderLayerOptions& options,
                                                 Generator& gen)
    : options_(options) {
  const auto& o = options;
  SYN_CHECK_T(ValueError, o.d_model > 0 && o.n_heads > 0 && o.d_ff > 0 && o.d_model % o.n_heads == 0,
              "TransformerEncoderLayer: d_model ", o.d_model, ", n_heads ", o.n_heads, " and d_ff ", o.d_ff,
              " must be positive, with d_model divisible by n_heads");
  SYN_CHECK_T(ValueError, o.dropout >= 0.f && o.dropout < 1.f, "TransformerEncoderLayer: dropout ", o.dropout,
              " must be in [0, 1)");
  // Registration order is torch's: self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2
  // (the dropouts hold no parameters).
  self_attn_ = register_module(
      "self_attn",
      std::make_shared<MultiHeadAttention>(o.d_model, o.n_heads, gen, MultiHeadAttentionOptions{o.dropout}));
  linear1_ = register_module("linear1", std::make_shared<Linear>(o.d_model, o.d_ff, gen));
  linear2_ = register_module("linear2", std::make_shared<Linear>(o.d_ff, o.d_model, gen));
  norm1_ = register_module("norm1", make_norm(o));
  norm2_ = register_module("norm2", make_norm(o));
  dropout_gen_ = Generator(gen.next_u64());
  register_random_stream("dropout", dropout_gen_);
}

Tensor TransformerEncoderLayer::norm(Module& which, const Tensor& x) {
  if (options_.norm == NormKind::layer) return static_cast<LayerNorm&>(which).forward(x);
  // (B, T, E) as (B·T, E): per channel over every token.
  return reshape(static_cast<BatchNorm1d&>(which).forward(reshape(x, {-1, options_.d_model})),
                 x.shape().dims());
}

Tensor TransformerEncoderLayer::attention_block(const Tensor& x, bool causal) {
  return dropout(self_attn_->forward(x, causal), options_.dropout, dropout_active(), dropout_gen_);
}

Tensor TransformerEncoderLayer::feed_forward_block(const Tensor& x) {
  Tensor h = linear1_->forward(x);
  h = options_.activation == Activation::relu ? relu(h) : gelu(h);
  h = linear2_->forward(dropout(h, options_.dropout, dropout_active(), dropout_gen_));
  return dropout(h, options_.dropout, dropout_active(), dropout_gen_);
}

Tensor TransformerEncoderLayer::forward(const Tensor& x, bool causal) {
  SYN_CHECK_T(ShapeError, x.rank() == 3 && x.size(2) == options_.d_model, "TransformerEncoderLayer: x ",
              x.shape(), " must be (B, T, ", options_.d_model, ")");
  if (options_.norm_first) {
    Tensor y = add(x, attention_block(norm(*norm1_, x), causal));
    return add(y, feed_forward_block(norm(*norm2_, y)));
  }
  Tensor y = norm(*norm1_, add(x, attention_block(x, causal)));
  return norm(*norm2_, add(y, feed_forward_block(y)));
}

TransformerEncoder::TransformerEncoder(const TransformerEncoderLayerOptions& options, int64_t num_layers,
                                       Generator& gen, bool identical_init) {
  SYN_CHECK_T(ValueError, num_layers > 0, "TransformerEncoder: num_layers ", num_layers, " must be > 0");
  auto stack = register_module("layers", std::make_shared<Module>());
  for (int64_t i = 0; i < num_layers; ++i) {
    auto layer = std::make_shared<TransformerEncoderLayer>(options, gen);
    if (identical_init && i > 0) layer->load_state_dict(layers_[0]->state_dict());
    layers_.push_back(stack->register_module(std::to_string(i), layer));
  }
}

Tensor TransformerEncoder::forward(const Tensor& x, bool causal) {
  Tensor y = x;
  for (auto& layer : layers_) y = layer->forward(y, causal);
  return y;
}

}  // namespace syn::nn
