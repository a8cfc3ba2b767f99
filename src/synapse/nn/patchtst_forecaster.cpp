#include "synapse/nn/patchtst_forecaster.hpp"

#include "synapse/core/error.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {
namespace {

PatchTSTOptions options_from(const ModelConfig& c) {
  SYN_CHECK_T(ValueError, c.kind == "patchtst", "PatchTSTForecaster: config kind is '", c.kind,
              "', expected 'patchtst'");
  c.validate();
  return {.channels = c.input_size,
          .lookback = c.lookback,
          .horizon = c.horizon,
          .patch_len = c.patch_len,
          .stride = c.stride,
          .d_model = c.d_model,
          .n_heads = c.n_heads,
          .n_layers = c.n_layers,
          .d_ff = c.d_ff,
          .dropout = c.active_dropout(),
          .activation = c.activation == "relu" ? Activation::relu : Activation::gelu,
          .norm = c.norm == "layer" ? NormKind::layer : NormKind::batch,
          .revin = c.uses_revin()};
}

}  // namespace

PatchTSTForecaster::PatchTSTForecaster(ModelConfig config) : Forecaster(std::move(config)) {
  Generator gen(config_.seed);
  backbone_ = register_module("backbone", std::make_shared<PatchTST>(options_from(config_), gen));
}

Tensor PatchTSTForecaster::forward(const Tensor& x) {
  const auto& c = config_;
  SYN_CHECK_T(ShapeError, x.rank() == 3 && x.size(1) == c.lookback && x.size(2) == c.input_size,
              "PatchTSTForecaster: x ", x.shape(), " must be (N, ", c.lookback, ", ", c.input_size, ")");
  const int64_t n = x.size(0);
  const bool all_channels = c.norm == "batch" && is_training() && c.input_size > 1;
  const Tensor y = all_channels        ? narrow(backbone_->forward(x), 2, 0, 1)
                   : c.input_size == 1 ? backbone_->forward(x)
                                       : backbone_->forward_channels(narrow(x, 2, 0, 1), 0);
  return reshape(y, {n, c.horizon});
}

}  // namespace syn::nn
