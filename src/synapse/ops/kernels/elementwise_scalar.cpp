// The scalar reference kernels (Note [Kernel contract]): plain loops over libm, the test oracle for
// every vectorised instruction set and the table SYN_ISA=scalar selects (elementwise_kernels.hpp).
#include <algorithm>
#include <cmath>

#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::kernels {
namespace {

template <class F>
void unary(const float* x, float* y, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}
template <class F>
void grad(const float* at, const float* gy, float* gx, int64_t n, F df) {
  for (int64_t i = 0; i < n; ++i) gx[i] += gy[i] * df(at[i]);
}

constexpr float kSqrt2OverPi = 0.7978845608028654f;  // sqrt(2/pi)
constexpr float kGeluCoef = 0.044715f;
constexpr float kInvSqrt2 = 0.7071067811865476f;
constexpr float kInvSqrt2Pi = 0.3989422804014327f;  // 1/sqrt(2*pi)

float nan_max(float a, float b) { return (a != a || a > b) ? a : (b != b ? b : (a < b ? b : a)); }
float nan_min(float a, float b) { return (a != a || a < b) ? a : (b != b ? b : (a > b ? b : a)); }
float sigmoid(float x) {
  if (x >= 0) return 1.f / (1.f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.f + e);
}
float softplus(float x) { return x != x ? x : std::fmax(x, 0.f) + std::log1p(std::exp(-std::fabs(x))); }
// gelu written with erfc and gelu_tanh with sigmoid(2u) = (1 + tanh u) / 2: the textbook forms
// 1 + erf(..) and 1 + tanh(..) cancel catastrophically for negative x.
float gelu(float x) { return 0.5f * x * std::erfc(-x * kInvSqrt2); }
float gelu_tanh_inner(float x) { return kSqrt2OverPi * (x + kGeluCoef * x * x * x); }
float gelu_tanh(float x) { return x * sigmoid(2.f * gelu_tanh_inner(x)); }
// The gelu derivatives are evaluated at x clamped to [-20, 20], where they are already 0 or 1 in
// float; that keeps x^2 and x^3 from overflowing into inf * 0 at larger |x|. NaN passes through.
float clamp_gelu_arg(float x) { return x > 20.f ? 20.f : (x < -20.f ? -20.f : x); }
float gelu_grad(float x_in) {
  const float x = clamp_gelu_arg(x_in);
  return 0.5f * std::erfc(-x * kInvSqrt2) + x * kInvSqrt2Pi * std::exp(-0.5f * x * x);
}
// d/dx x s(2u) = s + 2 x s(2u) s(-2u) u'(x), with s(2u) s(-2u) = (1 - tanh^2 u) / 4.
float gelu_tanh_grad(float x_in) {
  const float x = clamp_gelu_arg(x_in);
  const float u = gelu_tanh_inner(x);
  const float s = sigmoid(2.f * u);
  return s + 2.f * x * s * sigmoid(-2.f * u) * kSqrt2OverPi * (1.f + 3.f * kGeluCoef * x * x);
}

void add(const float* a, const float* b, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = a[i] + b[i]; }
void sub(const float* a, const float* b, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = a[i] - b[i]; }
void mul(const float* a, const float* b, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = a[i] * b[i]; }
void div(const float* a, const float* b, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] = a[i] / b[i]; }

void add_scalar(const float* x, float s, float* y, int64_t n) { unary(x, y, n, [s](float v) { return v + s; }); }
void mul_scalar(const float* x, float s, float* y, int64_t n) { unary(x, y, n, [s](float v) { return v * s; }); }
void pow_scalar(const float* x, float s, float* y, int64_t n) { unary(x, y, n, [s](float v) { return std::pow(v, s); }); }
void max_scalar(const float* x, float s, float* y, int64_t n) { unary(x, y, n, [s](float v) { return nan_max(v, s); }); }
void min_scalar(const float* x, float s, float* y, int64_t n) { unary(x, y, n, [s](float v) { return nan_min(v, s); }); }

void neg(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return -v; }); }
void abs(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return std::fabs(v); }); }
void exp(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return std::exp(v); }); }
void log(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return std::log(v); }); }
void sqrt(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return std::sqrt(v); }); }
void relu(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return v < 0.f ? 0.f : v; }); }
void sigmoid_k(const float* x, float* y, int64_t n) { unary(x, y, n, sigmoid); }
void tanh_k(const float* x, float* y, int64_t n) { unary(x, y, n, [](float v) { return std::tanh(v); }); }
void gelu_k(const float* x, float* y, int64_t n) { unary(x, y, n, gelu); }
void gelu_tanh_k(const float* x, float* y, int64_t n) { unary(x, y, n, gelu_tanh); }
void softplus_k(const float* x, float* y, int64_t n) { unary(x, y, n, softplus); }

void relu_backward(const float* x, const float* gy, float* gx, int64_t n) {
  // NaN inputs propagate into the gradient.
  grad(x, gy, gx, n, [](float v) { return v > 0.f ? 1.f : (v != v ? v : 0.f); });
}
void gelu_backward(const float* x, const float* gy, float* gx, int64_t n) { grad(x, gy, gx, n, gelu_grad); }
void gelu_tanh_backward(const float* x, const float* gy, float* gx, int64_t n) { grad(x, gy, gx, n, gelu_tanh_grad); }
void softplus_backward(const float* x, const float* gy, float* gx, int64_t n) { grad(x, gy, gx, n, sigmoid); }
void sigmoid_backward(const float* y, const float* gy, float* gx, int64_t n) {
  grad(y, gy, gx, n, [](float v) { return v * (1.f - v); });
}
void tanh_backward(const float* y, const float* gy, float* gx, int64_t n) {
  grad(y, gy, gx, n, [](float v) { return 1.f - v * v; });
}

void mul_add(const float* a, const float* b, float* acc, int64_t n) { for (int64_t i = 0; i < n; ++i) acc[i] += a[i] * b[i]; }
void axpy(float alpha, const float* x, float* y, int64_t n) { for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i]; }
void clamp(const float* x, float lo, float hi, float* y, int64_t n) {
  unary(x, y, n, [lo, hi](float v) { return nan_min(nan_max(v, lo), hi); });
}

void adam(const AdamStep& s, const float* g, float* p, float* m, float* v, float* v_max, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float gi = s.l2 ? g[i] + s.wd * p[i] : g[i];
    if (s.decoupled) p[i] = p[i] * s.decay;
    m[i] = m[i] * s.beta1 + s.one_minus_beta1 * gi;
    v[i] = v[i] * s.beta2 + s.one_minus_beta2 * gi * gi;
    float v_hat = v[i];
    if (v_max) v_hat = v_max[i] = std::isnan(v[i]) ? v[i] : std::max(v_max[i], v[i]);
    const float denom = std::sqrt(v_hat) / s.bc2_sqrt + s.eps;
    p[i] = p[i] + s.neg_step_size * m[i] / denom;
  }
}

float sum(const float* x, int64_t n) {
  float s = 0.f;
  for (int64_t i = 0; i < n; ++i) s += x[i];
  return s;
}
float max(const float* x, int64_t n) {
  float m = -INFINITY;
  for (int64_t i = 0; i < n; ++i) m = nan_max(m, x[i]);
  return m;
}
float dot(const float* a, const float* b, int64_t n) {
  float s = 0.f;
  for (int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
float sum_sq_diff(const float* x, float mean, int64_t n) {
  float s = 0.f;
  for (int64_t i = 0; i < n; ++i) s += (x[i] - mean) * (x[i] - mean);
  return s;
}

}  // namespace

namespace scalar {
const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels table{
      Isa::scalar,
      add, sub, mul, div,
      add_scalar, mul_scalar, pow_scalar, max_scalar, min_scalar,
      neg, abs, exp, log, sqrt, relu, sigmoid_k, tanh_k, gelu_k, gelu_tanh_k, softplus_k,
      relu_backward, gelu_backward, gelu_tanh_backward, softplus_backward, sigmoid_backward, tanh_backward,
      mul_add, axpy, clamp, adam,
      sum, max, dot, sum_sq_diff,
  };
  return table;
}
}  // namespace scalar

}  // namespace syn::kernels
