#pragma once
// Linear: torch.nn.Linear. Parameters `weight` (out, in) and `bias` (out), initialised as torch does
// (init::linear_: kaiming-uniform weight, uniform(±1/sqrt(in)) bias).
#include <cstdint>

#include "synapse/core/random.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

class Linear : public Module {
 public:
  // Sizes must be positive (ValueError). Without bias, only `weight` is registered.
  Linear(int64_t in_features, int64_t out_features, Generator& gen, bool bias = true);

  // x: (..., in) -> y: (..., out) = x·weightᵀ + bias
  Tensor forward(const Tensor& x) const;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }  // undefined without bias
  int64_t in_features() const { return weight_.size(1); }
  int64_t out_features() const { return weight_.size(0); }

 private:
  Tensor weight_, bias_;
};

}  // namespace syn::nn
