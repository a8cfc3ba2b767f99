#pragma once
// Regression losses between a prediction and a target of exactly the same shape (no broadcasting:
// a (N) vs (N, 1) mix-up is a ShapeError, not a silent (N, N) loss). Differentiable in both.
#include "synapse/core/tensor.hpp"

namespace syn {

// mean: the average over all elements (ValueError if there are none); sum: the total (0 if empty);
// none: the per-element losses, shaped like the inputs.
enum class Reduction { mean, sum, none };

// pred, target: X -> y: () or X (Reduction::none); per element (pred - target)^2
Tensor mse_loss(const Tensor& pred, const Tensor& target, Reduction reduction = Reduction::mean);
// pred, target: X -> y: () or X; per element |pred - target| (subgradient 0 where they are equal)
Tensor mae_loss(const Tensor& pred, const Tensor& target, Reduction reduction = Reduction::mean);
// pred, target: X -> y: () or X; per element with d = pred - target (as torch.nn.HuberLoss):
// 0.5·d^2 if |d| <= delta, else delta·(|d| - 0.5·delta). ValueError unless delta > 0.
Tensor huber_loss(const Tensor& pred, const Tensor& target, float delta = 1.f,
                  Reduction reduction = Reduction::mean);

}  // namespace syn
