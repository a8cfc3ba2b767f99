#include "synapse/nn/linear_params.hpp"

#include <memory>

#include "synapse/nn/init.hpp"
#include "synapse/ops/matmul.hpp"

namespace syn::nn {

Tensor LinearParams::operator()(const Tensor& x) const { return linear(x, weight, bias); }

LinearParams register_linear(Module& parent, const std::string& name, int64_t in, int64_t out, Generator& gen,
                             bool bias) {
  auto child = parent.register_module(name, std::make_shared<Module>());
  LinearParams p;
  p.weight = child->register_parameter("weight", Tensor::empty(Shape{out, in}));
  if (bias) p.bias = child->register_parameter("bias", Tensor::empty(Shape{out}));
  init::linear_(p.weight, p.bias, gen);
  return p;
}

}  // namespace syn::nn
