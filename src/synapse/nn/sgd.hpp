#pragma once
// Sgd: stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight
// decay, exactly as torch.optim.SGD (1.13), mask-aware (Note [Masked optimizer steps]).
// Per entry, with g the gradient and p the parameter:
//   g = g + weight_decay·p                          (when weight_decay != 0)
//   b = g on the first step, else b = momentum·b + (1 - dampening)·g     (when momentum != 0)
//   g = g + momentum·b  if nesterov,  else g = b                          (when momentum != 0)
//   p = p - lr·g
#include <vector>

#include "synapse/nn/optimizer.hpp"

namespace syn::nn {

struct SgdOptions {
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;  // needs momentum > 0 and dampening == 0
};

class Sgd : public Optimizer {
 public:
  // Throws ValueError for a negative lr, momentum or weight decay, or an impossible Nesterov setting.
  Sgd(std::vector<Tensor> params, double lr, const SgdOptions& options = {});

  const SgdOptions& options() const { return options_; }
  // The momentum buffer b of params()[index]; undefined before its first step or without momentum.
  const Tensor& momentum_buffer(size_t index) const { return buffers_[index]; }
  // Per parameter: step 0 or 1 (whether the buffer exists), then the momentum buffer (Note [Optimizer state]).
  State export_state() const override;
  void import_state(const State& state) override;

 private:
  void update(size_t index, Tensor& param, const Tensor& grad) override;

  SgdOptions options_;
  std::vector<Tensor> buffers_;
};

}  // namespace syn::nn
