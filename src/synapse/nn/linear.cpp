#include "synapse/nn/linear.hpp"

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/ops/matmul.hpp"

namespace syn::nn {

Linear::Linear(int64_t in_features, int64_t out_features, Generator& gen, bool bias) {
  SYN_CHECK_T(ValueError, in_features > 0 && out_features > 0,
              "Linear: sizes must be positive, got in_features ", in_features, " and out_features ",
              out_features);
  weight_ = register_parameter("weight", Tensor::empty(Shape{out_features, in_features}));
  if (bias) bias_ = register_parameter("bias", Tensor::empty(Shape{out_features}));
  init::linear_(weight_, bias_, gen);
}

Tensor Linear::forward(const Tensor& x) const {
  SYN_CHECK_T(ShapeError, x.defined() && x.rank() >= 1 && x.size(-1) == in_features(), "Linear: x ",
              x.defined() ? x.shape().str() : "(undefined)", " must end in ", in_features(), " features");
  return linear(x, weight_, bias_);
}

}  // namespace syn::nn
