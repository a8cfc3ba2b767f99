#include "synapse/ops/activation.hpp"

#include "synapse/core/node.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

using kernels::GradFn;
using kernels::ElementwiseKernels;

// One backward struct serves every activation whose derivative is a GradFn of a saved tensor
// (the input x for relu/gelu/softplus, the output y for sigmoid/tanh).
struct ActivationBackward : Node {
  const char* op = "ActivationBackward";
  GradFn ElementwiseKernels::*grad_kernel = nullptr;
  SavedTensor at;
  const char* name() const override { return op; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    detail::map_grad(at.get(*this), grads[0], grad_buffer(0), kernels::elementwise_kernels().*grad_kernel);
  }
};

Tensor activation(const Tensor& x, kernels::UnaryFn ElementwiseKernels::*forward, GradFn ElementwiseKernels::*grad,
                  bool grad_uses_output, const char* name) {
  Tensor y = detail::map_unary(x, kernels::elementwise_kernels().*forward);
  if (auto* node = record<ActivationBackward>({&x}, {&y})) {
    node->op = name;
    node->grad_kernel = grad;
    node->at = grad_uses_output ? y.detach() : x;
  }
  return y;
}

}  // namespace

Tensor relu(const Tensor& x) {
  return activation(x, &ElementwiseKernels::relu, &ElementwiseKernels::relu_backward, false, "ReluBackward");
}
Tensor sigmoid(const Tensor& x) {
  return activation(x, &ElementwiseKernels::sigmoid, &ElementwiseKernels::sigmoid_backward, true, "SigmoidBackward");
}
Tensor tanh(const Tensor& x) {
  return activation(x, &ElementwiseKernels::tanh, &ElementwiseKernels::tanh_backward, true, "TanhBackward");
}
Tensor gelu(const Tensor& x, bool approximate) {
  return approximate ? activation(x, &ElementwiseKernels::gelu_tanh, &ElementwiseKernels::gelu_tanh_backward, false,
                                  "GeluTanhBackward")
                     : activation(x, &ElementwiseKernels::gelu, &ElementwiseKernels::gelu_backward, false, "GeluBackward");
}
Tensor softplus(const Tensor& x) {
  return activation(x, &ElementwiseKernels::softplus, &ElementwiseKernels::softplus_backward, false, "SoftplusBackward");
}

}  // namespace syn
