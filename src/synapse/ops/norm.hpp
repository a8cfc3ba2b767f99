#pragma once
// Normalisation layers as functions (torch.nn.functional semantics). Statistics are reduced in
// fixed blocks (Note [Determinism]); the variance used to normalise is the biased one.
#include "synapse/core/tensor.hpp"

namespace syn {

// x: (..., *normalized_shape)  weight, bias: normalized_shape or undefined  y: x's shape
// y = (x - mean) / sqrt(var + eps) * weight + bias, statistics over the trailing normalized dims.
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), float eps = 1e-5f);
// layer_norm over the last `ndim` axes of x (a separate name: `layer_norm(x, {16})` means a shape).
Tensor layer_norm_last(const Tensor& x, int64_t ndim, const Tensor& weight = Tensor(),
                       const Tensor& bias = Tensor(), float eps = 1e-5f);

// x: (N, C) or (N, C, L)  running_mean, running_var, weight, bias: (C) or undefined  y: x's shape
// Per channel c: y = (x - mean_c) / sqrt(var_c + eps) * weight_c + bias_c.
// training: batch statistics over N (and L); if given, the running statistics are updated in place,
//   running = (1 - momentum) * running + momentum * batch, with the unbiased variance.
// !training: the running statistics (required) are used and left unchanged.
Tensor batch_norm(const Tensor& x, Tensor running_mean, Tensor running_var, const Tensor& weight,
                  const Tensor& bias, bool training, float momentum = 0.1f, float eps = 1e-5f);

}  // namespace syn
