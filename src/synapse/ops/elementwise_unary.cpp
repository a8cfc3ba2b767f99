// neg, exp, log, sqrt, abs, clamp and pow with a constant exponent (elementwise.hpp).
#include <algorithm>
#include <array>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/subgradient.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

using kernels::ElementwiseKernels;

const ElementwiseKernels& table() { return kernels::elementwise_kernels(); }

// gx[i] += t[i], where terms(begin, len, t) writes t[0, len) for elements [begin, begin + len).
template <class Terms>
void add_terms(Tensor& gx, Terms&& terms) {
  float* px = gx.mutable_data();
  parallel_for(gx.numel(), detail::kElementwiseGrain, [&](int64_t begin, int64_t end) {
    std::array<float, detail::kScratch> t;
    for (int64_t i = begin; i < end; i += detail::kScratch) {
      const int64_t len = std::min(detail::kScratch, end - i);
      terms(i, len, t.data());
      table().add(px + i, t.data(), px + i, len);
    }
  });
}

struct NegBackward : Node {
  const char* name() const override { return "NegBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float* g = grads[0].data();
    add_terms(grad_buffer(0), [&](int64_t i, int64_t len, float* t) { table().neg(g + i, t, len); });
  }
};

// dx = g·y
struct ExpBackward : Node {
  SavedTensor y;
  const char* name() const override { return "ExpBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float *g = grads[0].data(), *py = y.get(*this).data();
    add_terms(grad_buffer(0), [&](int64_t i, int64_t len, float* t) { table().mul(g + i, py + i, t, len); });
  }
};

// dx = g / x
struct LogBackward : Node {
  SavedTensor x;
  const char* name() const override { return "LogBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float *g = grads[0].data(), *px = x.get(*this).data();
    add_terms(grad_buffer(0), [&](int64_t i, int64_t len, float* t) { table().div(g + i, px + i, t, len); });
  }
};

// dx = 0.5·g / y
struct SqrtBackward : Node {
  SavedTensor y;
  const char* name() const override { return "SqrtBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float *g = grads[0].data(), *py = y.get(*this).data();
    add_terms(grad_buffer(0), [&](int64_t i, int64_t len, float* t) {
      table().div(g + i, py + i, t, len);
      table().mul_scalar(t, 0.5f, t, len);
    });
  }
};

// dx = g·sign(x) (Note [Subgradients])
struct AbsBackward : Node {
  SavedTensor x;
  const char* name() const override { return "AbsBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float *g = grads[0].data(), *px = x.get(*this).data();
    add_terms(grad_buffer(0), [&](int64_t i, int64_t len, float* t) {
      for (int64_t j = 0; j < len; ++j) t[j] = g[i + j] * detail::sign(px[i + j]);
    });
  }
};

// dx = g where lo <= x <= hi, else 0 (Note [Subgradients])
struct ClampBackward : Node {
  SavedTensor x;
  float lo = 0.f, hi = 0.f;
  const char* name() const override { return "ClampBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float *g = grads[0].data(), *px = x.get(*this).data();
    add_terms(grad_buffer(0), [&](int64_t i, int64_t len, float* t) {
      for (int64_t j = 0; j < len; ++j) t[j] = g[i + j] * detail::inside(px[i + j], lo, hi);
    });
  }
};

// dx = g·p·x^(p-1); 0 when p == 0
struct PowScalarBackward : Node {
  SavedTensor x;
  float p = 0.f;
  const char* name() const override { return "PowScalarBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    Tensor& gx = grad_buffer(0);
    if (p == 0.f) return;
    const float *g = grads[0].data(), *px = x.get(*this).data();
    add_terms(gx, [&](int64_t i, int64_t len, float* t) {
      table().pow_scalar(px + i, p - 1.f, t, len);
      table().mul(t, g + i, t, len);
      table().mul_scalar(t, p, t, len);
    });
  }
};

// x: any shape -> y: same shape, y = kernel(x, s)
Tensor map_scalar(const Tensor& x, float s, kernels::ScalarFn kernel) {
  Tensor y = Tensor::empty(x.shape());
  const float* px = x.data();
  float* py = y.mutable_data();
  parallel_for(x.numel(), detail::kElementwiseGrain,
               [&](int64_t b, int64_t e) { kernel(px + b, s, py + b, e - b); });
  return y;
}

}  // namespace

// x: any shape -> y: same shape
Tensor neg(const Tensor& x) {
  Tensor y = detail::map_unary(x, table().neg);
  record<NegBackward>({&x}, {&y});
  return y;
}

Tensor exp(const Tensor& x) {
  Tensor y = detail::map_unary(x, table().exp);
  if (auto* node = record<ExpBackward>({&x}, {&y})) node->y = y.detach();
  return y;
}

Tensor log(const Tensor& x) {
  Tensor y = detail::map_unary(x, table().log);
  if (auto* node = record<LogBackward>({&x}, {&y})) node->x = x;
  return y;
}

Tensor sqrt(const Tensor& x) {
  Tensor y = detail::map_unary(x, table().sqrt);
  if (auto* node = record<SqrtBackward>({&x}, {&y})) node->y = y.detach();
  return y;
}

Tensor abs(const Tensor& x) {
  Tensor y = detail::map_unary(x, table().abs);
  if (auto* node = record<AbsBackward>({&x}, {&y})) node->x = x;
  return y;
}

Tensor clamp(const Tensor& x, float lo, float hi) {
  SYN_CHECK_T(ValueError, !(lo > hi), "clamp: lower bound ", lo, " is above upper bound ", hi,
              " (input shape ", x.shape(), ")");
  Tensor y = Tensor::empty(x.shape());
  const float* px = x.data();
  float* py = y.mutable_data();
  parallel_for(x.numel(), detail::kElementwiseGrain,
               [&](int64_t b, int64_t e) { table().clamp(px + b, lo, hi, py + b, e - b); });
  if (auto* node = record<ClampBackward>({&x}, {&y})) {
    node->x = x;
    node->lo = lo;
    node->hi = hi;
  }
  return y;
}

Tensor pow(const Tensor& x, float p) {
  Tensor y = map_scalar(x, p, table().pow_scalar);
  if (auto* node = record<PowScalarBackward>({&x}, {&y})) {
    node->x = x;
    node->p = p;
  }
  return y;
}

}  // namespace syn
