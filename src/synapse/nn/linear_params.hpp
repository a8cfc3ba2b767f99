#pragma once
// LinearParams: the weight and bias of a torch.nn.Linear, registered as parameters `weight` and
// `bias` of a plain child module, so that a model's state dict carries torch's names
// (`linear1.weight`, `out_proj.bias`) and the model applies them with ops::linear.
#include <cstdint>
#include <string>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

struct LinearParams {
  Tensor weight;  // (out, in)
  Tensor bias;    // (out), or undefined without a bias

  // x: (..., in) -> y: (..., out)
  Tensor operator()(const Tensor& x) const;
};

// Registers child module `name` of `parent` holding weight (out, in) and, when `bias` is set,
// bias (out), initialised as torch.nn.Linear does (init::linear_).
LinearParams register_linear(Module& parent, const std::string& name, int64_t in, int64_t out, Generator& gen,
                             bool bias = true);

}  // namespace syn::nn
