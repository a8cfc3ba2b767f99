#pragma once
// Forecaster: the interface every forecasting model implements, so the trainer, the CLI, the
// checkpoint and (later) the pruner treat RNN, LSTM, GRU and PatchTST alike.
#include "synapse/core/tensor.hpp"
#include "synapse/nn/model_config.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

class Forecaster : public Module {
 public:
  explicit Forecaster(ModelConfig config) : config_(std::move(config)) {}
  // x: (N, lookback, input_size), target in feature 0 -> y: (N, horizon)
  virtual Tensor forward(const Tensor& x) = 0;
  const ModelConfig& config() const { return config_; }

 protected:
  ModelConfig config_;
};

}  // namespace syn::nn
