#pragma once
// LinearForecaster: one linear map from the whole lookback window to the horizon, in the style of
// NLinear (Zeng et al., "Are Transformers Effective for Time Series Forecasting?", AAAI 2023): each
// input column has its last value subtracted, the centred window is flattened and mapped by one
// weight matrix, and the target's last value is added back:
//   c[n, l, f] = x[n, l, f] - x[n, L-1, f]
//   y[n, :]    = W · dropout(flatten(c[n])) + b + x[n, L-1, 0]
// A fast, strong baseline: with W = 0 it is the naive "repeat the last value" forecast, and it can
// learn seasonal and trend shapes as lag weights. Dropout (reg dropout or mc-dropout) acts on the
// flattened window in training mode. With revin=true a child `revin` wraps the whole model
// (Note [RevIN around a forecaster]).
#include "synapse/core/random.hpp"
#include "synapse/nn/forecaster.hpp"

namespace syn::nn {

class LinearForecaster : public Forecaster {
 public:
  // Parameters: weight (horizon, lookback · input_size), bias (horizon), initialised as
  // torch.nn.Linear from Generator(config.seed). ValueError for an invalid config.
  explicit LinearForecaster(ModelConfig config);

  // x: (N, lookback, input_size) -> y: (N, horizon)
  Tensor forward(const Tensor& x) override;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }

 private:
  Tensor weight_, bias_;
  Generator dropout_gen_;
};

}  // namespace syn::nn
