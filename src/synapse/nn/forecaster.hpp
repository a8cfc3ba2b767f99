#pragma once
// Forecaster: the interface every forecasting model implements, so the trainer, the CLI, the
// checkpoint and (later) the pruner treat RNN, LSTM, GRU and PatchTST alike.
#include <functional>
#include <memory>

#include "synapse/core/tensor.hpp"
#include "synapse/nn/model_config.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/nn/revin.hpp"

namespace syn::nn {

class Forecaster : public Module {
 public:
  explicit Forecaster(ModelConfig config) : config_(std::move(config)) {}
  // x: (N, lookback, input_size), target in feature 0 -> y: (N, horizon)
  virtual Tensor forward(const Tensor& x) = 0;
  const ModelConfig& config() const { return config_; }

 protected:
  // Registers the child "revin" (RevIN over the input_size columns) when config_.uses_revin(), for a
  // kind that puts RevIN around its whole model (Note [RevIN around a forecaster]); called by the
  // constructor after the other children.
  void add_revin();
  // x: (N, L, F) -> body(normalised x) (N, H) mapped back with the target's statistics; body(x)
  // itself without the "revin" child.
  Tensor with_revin(const Tensor& x, const std::function<Tensor(const Tensor&)>& body) const;

  ModelConfig config_;

 private:
  std::shared_ptr<RevIN> revin_;
};

}  // namespace syn::nn
