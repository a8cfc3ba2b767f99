#include "synapse/nn/layer_norm_module.hpp"

#include "synapse/core/error.hpp"
#include "synapse/ops/norm.hpp"

namespace syn::nn {

LayerNorm::LayerNorm(Shape normalized_shape, float eps, bool elementwise_affine)
    : normalized_shape_(std::move(normalized_shape)), eps_(eps) {
  SYN_CHECK_T(ValueError, normalized_shape_.rank() >= 1 && normalized_shape_.numel() > 0,
              "LayerNorm: normalized shape ", normalized_shape_, " must be non-empty");
  SYN_CHECK_T(ValueError, eps >= 0.f, "LayerNorm: eps ", eps, " must be >= 0");
  if (elementwise_affine) {
    weight_ = register_parameter("weight", Tensor::ones(normalized_shape_));
    bias_ = register_parameter("bias", Tensor::zeros(normalized_shape_));
  }
}

Tensor LayerNorm::forward(const Tensor& x) const {
  return layer_norm(x, normalized_shape_, weight_, bias_, eps_);
}

}  // namespace syn::nn
