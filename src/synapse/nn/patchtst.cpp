#include "synapse/nn/patchtst.hpp"

#include <tuple>

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/ops/dropout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {
namespace {

void check_options(const PatchTSTOptions& o) {
  auto positive = [](const char* name, int64_t v) {
    SYN_CHECK_T(ValueError, v > 0, "PatchTST: ", name, " must be > 0, got ", v);
  };
  positive("channels", o.channels);
  positive("lookback", o.lookback);
  positive("horizon", o.horizon);
  positive("patch_len", o.patch_len);
  positive("stride", o.stride);
  positive("d_model", o.d_model);
  positive("n_heads", o.n_heads);
  positive("n_layers", o.n_layers);
  positive("d_ff", o.d_ff);
  SYN_CHECK_T(ValueError, o.lookback + o.stride >= o.patch_len, "PatchTST: patch_len ", o.patch_len,
              " exceeds lookback ", o.lookback, " + stride ", o.stride, " (the padded series)");
  SYN_CHECK_T(ValueError, o.dropout >= 0.f && o.dropout < 1.f, "PatchTST: dropout ", o.dropout,
              " must be in [0, 1)");
}

}  // namespace

PatchTST::PatchTST(const PatchTSTOptions& options, Generator& gen) : options_(options) {
  check_options(options);
  const auto& o = options;
  num_patches_ = (o.lookback + o.stride - o.patch_len) / o.stride + 1;
  if (o.revin) revin_ = register_module("revin", std::make_shared<RevIN>(o.channels));
  emb_ = register_module("emb", std::make_shared<Linear>(o.patch_len, o.d_model, gen));
  pos_ = register_parameter("pos",
                            init::normal_(Tensor::empty(Shape{1, num_patches_, o.d_model}), gen, 0.0, 0.02));
  const TransformerEncoderLayerOptions layer{.d_model = o.d_model,
                                             .n_heads = o.n_heads,
                                             .d_ff = o.d_ff,
                                             .dropout = o.dropout,
                                             .activation = o.activation,
                                             .norm_first = false,
                                             .norm = o.norm};
  enc_ = register_module("enc", std::make_shared<TransformerEncoder>(layer, o.n_layers, gen));
  head_ = register_module("head", std::make_shared<Linear>(num_patches_ * o.d_model, o.horizon, gen));
  dropout_gen_ = Generator(gen.next_u64());
  register_random_stream("dropout", dropout_gen_);
}

Tensor PatchTST::forward(const Tensor& x) {
  SYN_CHECK_T(ShapeError, x.rank() == 3 && x.size(2) == options_.channels, "PatchTST: x ", x.shape(),
              " must be (B, ", options_.lookback, ", ", options_.channels, ")");
  return forward_channels(x, 0);
}

Tensor PatchTST::forward_channels(const Tensor& x, int64_t first) {
  const auto& o = options_;
  SYN_CHECK_T(ShapeError,
              x.rank() == 3 && x.size(1) == o.lookback && first >= 0 && first + x.size(2) <= o.channels,
              "PatchTST: x ", x.shape(), " must be (B, ", o.lookback, ", C) holding channels ", first, " .. ",
              first, " + C - 1 of ", o.channels);
  const int64_t b = x.size(0), c = x.size(2), n = num_patches_;
  Tensor z = x;
  RevINStats stats;
  if (revin_) std::tie(z, stats) = revin_->normalize(x, first);
  // (B, L, C) -> (B·C, L) -> (B·C, L + S) -> (B·C, n, P)
  const Tensor series = reshape(permute(z, {0, 2, 1}), {b * c, o.lookback});
  const Tensor patches = unfold(pad_replicate(series, 1, 0, o.stride), 1, o.patch_len, o.stride);
  Tensor h = dropout(add(emb_->forward(patches), pos_), o.dropout, dropout_active(), dropout_gen_);
  h = enc_->forward(h);
  // (B·C, n, d) -> (B·C, n·d) -> (B·C, H) -> (B, H, C)
  Tensor y = permute(reshape(head_->forward(reshape(h, {b * c, n * o.d_model})), {b, c, o.horizon}), {0, 2, 1});
  if (revin_) y = revin_->denormalize(y, stats, first);
  return y;
}

}  // namespace syn::nn
