#include "synapse/nn/paper_patch_transformer.hpp"

#include <algorithm>

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/ops/dropout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/reduce.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {
namespace {

const ModelConfig& checked(const ModelConfig& c, const PaperPatchArchitecture& a) {
  SYN_CHECK_T(ValueError, c.kind == "paper-patchtst", "PaperPatchTransformer: config kind is '", c.kind,
              "', expected 'paper-patchtst'");
  c.validate();
  SYN_CHECK_T(ValueError,
              a.patch_len > 0 && a.patch_len <= c.lookback && a.d_model > 0 && a.n_heads > 0 &&
                  a.n_layers > 0 && a.d_ff > 0 && a.d_model % a.n_heads == 0,
              "PaperPatchTransformer: architecture patch_len ", a.patch_len, ", d_model ", a.d_model,
              ", n_heads ", a.n_heads, ", n_layers ", a.n_layers, ", d_ff ", a.d_ff, " for lookback ",
              c.lookback, ": sizes must be positive, patch_len <= lookback, d_model divisible by n_heads");
  return c;
}

}  // namespace

int64_t study_patch_len(int64_t lookback) {
  SYN_CHECK_T(ValueError, lookback > 0, "study_patch_len: lookback ", lookback, " must be > 0");
  const int64_t p = lookback <= 7 ? 1 : lookback <= 14 ? 2 : lookback <= 30 ? 3 : 4;
  return std::min(p, lookback);
}

PaperPatchArchitecture PaperPatchArchitecture::study(int64_t lookback) {
  PaperPatchArchitecture a;
  a.patch_len = study_patch_len(lookback);
  return a;
}

PaperPatchTransformer::PaperPatchTransformer(ModelConfig config)
    : PaperPatchTransformer(config, PaperPatchArchitecture::study(config.lookback)) {}

PaperPatchTransformer::PaperPatchTransformer(ModelConfig config, const PaperPatchArchitecture& architecture)
    : Forecaster(std::move(config)), arch_(architecture) {
  const ModelConfig& c = checked(config_, arch_);
  const auto& a = arch_;
  num_patches_ = (c.lookback + a.patch_len - 1) / a.patch_len;
  Generator gen(c.seed);
  embed_ = register_module("embed", std::make_shared<Linear>(a.patch_len * c.input_size, a.d_model, gen));
  pos_ = register_parameter("pos", init::normal_(Tensor::empty(Shape{1, num_patches_, a.d_model}), gen));
  const TransformerEncoderLayerOptions layer{.d_model = a.d_model,
                                             .n_heads = a.n_heads,
                                             .d_ff = a.d_ff,
                                             .dropout = c.active_dropout(),
                                             .activation = Activation::relu,
                                             .norm_first = false,
                                             .norm = NormKind::layer};
  encoder_ = register_module(
      "encoder", std::make_shared<TransformerEncoder>(layer, a.n_layers, gen, /*identical_init=*/false));
  // The study's q/k/v and output projections are separate torch.nn.Linear layers.
  for (auto& l : encoder_->layers()) {
    auto& attn = l->self_attn();
    init::linear_(attn.in_proj_weight(), attn.in_proj_bias(), gen);
    init::linear_(attn.out_proj().weight(), attn.out_proj().bias(), gen);
  }
  norm_ = register_module("norm", std::make_shared<LayerNorm>(Shape{a.d_model}));
  head_ = register_module("head", std::make_shared<Linear>(a.d_model, c.horizon, gen));
  dropout_gen_ = Generator(gen.next_u64());
  register_random_stream("dropout", dropout_gen_);
  add_revin();
}

Tensor PaperPatchTransformer::forward(const Tensor& x) {
  const auto& c = config_;
  const int64_t p = arch_.patch_len;
  SYN_CHECK_T(ShapeError, x.rank() == 3 && x.size(1) == c.lookback && x.size(2) == c.input_size,
              "PaperPatchTransformer: x ", x.shape(), " must be (N, ", c.lookback, ", ", c.input_size, ")");
  const int64_t rest = c.lookback % p;
  return with_revin(x, [&](const Tensor& in) {
    const Tensor padded = rest ? pad_replicate(in, 1, 0, p - rest) : in;
    // (N, n·P, F) -> (N, n, P·F): each patch its P steps in order, all features per step (a view).
    const Tensor patches = reshape(padded, {in.size(0), num_patches_, p * c.input_size});
    Tensor h = encoder_->forward(add(embed_->forward(patches), pos_));
    h = norm_->forward(dropout(h, c.active_dropout(), dropout_active(), dropout_gen_));
    return head_->forward(mean(h, 1));
  });
}

}  // namespace syn::nn
