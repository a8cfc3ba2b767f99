#pragma once
// Activations, elementwise over any shape. Each is differentiable.
#include "synapse/core/tensor.hpp"

namespace syn {

// x: any shape -> y: same shape
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
// approximate=false: x·Φ(x) with the exact erf; true: the tanh approximation.
Tensor gelu(const Tensor& x, bool approximate = false);
// log(1 + exp(x)), computed stably.
Tensor softplus(const Tensor& x);

}  // namespace syn
