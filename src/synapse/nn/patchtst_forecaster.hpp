#pragma once
// PatchTSTForecaster: PatchTST (patchtst.hpp) as a Forecaster, built from a ModelConfig of kind
// "patchtst". The input's features are PatchTST's channels; the forecast is channel 0 (the target)
// of PatchTST's (N, horizon, input_size) output.
//
// Channels are independent except through BatchNorm's batch statistics in training, so only the
// target channel is computed unless norm = batch and the model is training (then every channel
// shapes the statistics, and all are run): the result is the same, at 1/input_size of the cost.
//
// From the config: input_size (channels), lookback, horizon, patch_len, stride, d_model, n_heads,
// n_layers, d_ff, norm, activation, revin, active_dropout(); seed initialises the weights.
// The state dict is PatchTST's under `backbone.`.
#include <memory>

#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/patchtst.hpp"

namespace syn::nn {

class PatchTSTForecaster : public Forecaster {
 public:
  // ValueError for a config of another kind or one that fails validate().
  explicit PatchTSTForecaster(ModelConfig config);

  // x: (N, lookback, input_size) -> y: (N, horizon)
  Tensor forward(const Tensor& x) override;

  PatchTST& backbone() { return *backbone_; }

 private:
  std::shared_ptr<PatchTST> backbone_;
};

}  // namespace syn::nn
