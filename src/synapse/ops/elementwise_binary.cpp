// add, sub, mul, div and pow of two broadcast operands (elementwise.hpp).
#include <cmath>

#include "synapse/core/node.hpp"
#include "synapse/ops/broadcast.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

using detail::broadcast_binary;
using kernels::ElementwiseKernels;

const ElementwiseKernels& table() { return kernels::elementwise_kernels(); }

// y = a^b elementwise through libm: the kernel table has only the constant-exponent pow.
void pow_kernel(const float* a, const float* b, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = std::pow(a[i], b[i]);
}
// y = d(a^b)/da = b·a^(b-1), 0 where b == 0 (PyTorch's convention, also at a == 0).
void pow_base_grad(const float* a, const float* b, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = b[i] == 0.f ? 0.f : b[i] * std::pow(a[i], b[i] - 1.f);
}
// y = d(a^b)/db = a^b·log(a), 0 where a == 0 and b >= 0 (PyTorch's convention).
void pow_exponent_grad(const float* a, const float* b, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = a[i] == 0.f && b[i] >= 0.f ? 0.f : std::pow(a[i], b[i]) * std::log(a[i]);
}

struct AddBackward : Node {
  const char* name() const override { return "AddBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    for (int i = 0; i < 2; ++i)
      if (needs_grad(i)) accumulate_grad(i, sum_to(grads[0], input_shape(i)));
  }
};

struct SubBackward : Node {
  const char* name() const override { return "SubBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (needs_grad(0)) accumulate_grad(0, sum_to(grads[0], input_shape(0)));
    if (needs_grad(1)) accumulate_grad(1, detail::map_unary(sum_to(grads[0], input_shape(1)), table().neg));
  }
};

// Saves each operand only if the other one needs its gradient.
struct MulBackward : Node {
  SavedTensor a, b;
  const char* name() const override { return "MulBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    if (needs_grad(0))
      accumulate_grad(0, sum_to(broadcast_binary(name(), g, b.get(*this), table().mul), input_shape(0)));
    if (needs_grad(1))
      accumulate_grad(1, sum_to(broadcast_binary(name(), g, a.get(*this), table().mul), input_shape(1)));
  }
};

// y = a / b: da = g / b, db = -(g·y) / b.
struct DivBackward : Node {
  SavedTensor b, y;
  const char* name() const override { return "DivBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    const Tensor& divisor = b.get(*this);
    if (needs_grad(0))
      accumulate_grad(0, sum_to(broadcast_binary(name(), g, divisor, table().div), input_shape(0)));
    if (needs_grad(1)) {
      const Tensor gy = broadcast_binary(name(), g, y.get(*this), table().mul);
      const Tensor t = sum_to(broadcast_binary(name(), gy, divisor, table().div), input_shape(1));
      accumulate_grad(1, detail::map_unary(t, table().neg));
    }
  }
};

struct PowBackward : Node {
  SavedTensor a, b;
  const char* name() const override { return "PowBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    const Tensor& base = a.get(*this);
    const Tensor& exponent = b.get(*this);
    kernels::BinaryFn partials[2] = {pow_base_grad, pow_exponent_grad};
    for (int i = 0; i < 2; ++i) {
      if (!needs_grad(i)) continue;
      const Tensor d = broadcast_binary(name(), base, exponent, partials[i]);
      accumulate_grad(i, sum_to(broadcast_binary(name(), g, d, table().mul), input_shape(i)));
    }
  }
};

}  // namespace

// a: A  b: B  y: broadcast(A, B)
Tensor add(const Tensor& a, const Tensor& b) {
  Tensor y = broadcast_binary("add", a, b, table().add);
  record<AddBackward>({&a, &b}, {&y});
  return y;
}

// a: A  b: B  y: broadcast(A, B)
Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor y = broadcast_binary("sub", a, b, table().sub);
  record<SubBackward>({&a, &b}, {&y});
  return y;
}

// a: A  b: B  y: broadcast(A, B)
Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor y = broadcast_binary("mul", a, b, table().mul);
  if (auto* node = record<MulBackward>({&a, &b}, {&y})) {
    if (b.requires_grad()) node->a = a;
    if (a.requires_grad()) node->b = b;
  }
  return y;
}

// a: A  b: B  y: broadcast(A, B)
Tensor div(const Tensor& a, const Tensor& b) {
  Tensor y = broadcast_binary("div", a, b, table().div);
  if (auto* node = record<DivBackward>({&a, &b}, {&y})) {
    node->b = b;
    if (b.requires_grad()) node->y = y.detach();
  }
  return y;
}

// a: A  b: B  y: broadcast(A, B)
Tensor pow(const Tensor& a, const Tensor& b) {
  Tensor y = broadcast_binary("pow", a, b, pow_kernel);
  if (auto* node = record<PowBackward>({&a, &b}, {&y})) {
    node->a = a;
    node->b = b;
  }
  return y;
}

// The constant goes through the one-element fast path of broadcast_binary.
Tensor add(const Tensor& x, float s) { return add(x, Tensor::scalar(s)); }
Tensor sub(const Tensor& x, float s) { return sub(x, Tensor::scalar(s)); }
Tensor sub(float s, const Tensor& x) { return sub(Tensor::scalar(s), x); }
Tensor mul(const Tensor& x, float s) { return mul(x, Tensor::scalar(s)); }
Tensor div(const Tensor& x, float s) { return div(x, Tensor::scalar(s)); }
Tensor div(float s, const Tensor& x) { return div(Tensor::scalar(s), x); }

}  // namespace syn
