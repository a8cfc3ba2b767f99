#pragma once
// LayerNorm: torch.nn.LayerNorm. Parameters `weight` (ones) and `bias` (zeros) of the normalized
// shape when elementwise_affine, none otherwise.
#include "synapse/core/tensor.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

class LayerNorm : public Module {
 public:
  // ValueError for an empty normalized shape, a zero-sized one or a negative eps.
  explicit LayerNorm(Shape normalized_shape, float eps = 1e-5f, bool elementwise_affine = true);

  // x: (..., *normalized_shape) -> y: x's shape, normalised over the trailing normalized dims
  Tensor forward(const Tensor& x) const;

  const Shape& normalized_shape() const { return normalized_shape_; }
  float eps() const { return eps_; }
  const Tensor& weight() const { return weight_; }  // undefined without elementwise_affine
  const Tensor& bias() const { return bias_; }

 private:
  Shape normalized_shape_;
  float eps_;
  Tensor weight_, bias_;
};

}  // namespace syn::nn
