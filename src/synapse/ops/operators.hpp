#pragma once
// Arithmetic operators on tensors, spelled as the differentiable ops of elementwise.hpp (which
// broadcast). A float operand is a constant.
#include "synapse/ops/elementwise.hpp"

namespace syn {

// a: A  b: B  y: broadcast(A, B)
inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }

// x: any shape  s: constant  y: x's shape
inline Tensor operator+(const Tensor& x, float s) { return add(x, s); }
inline Tensor operator+(float s, const Tensor& x) { return add(x, s); }
inline Tensor operator-(const Tensor& x, float s) { return sub(x, s); }
inline Tensor operator-(float s, const Tensor& x) { return sub(s, x); }
inline Tensor operator*(const Tensor& x, float s) { return mul(x, s); }
inline Tensor operator*(float s, const Tensor& x) { return mul(x, s); }
inline Tensor operator/(const Tensor& x, float s) { return div(x, s); }
inline Tensor operator/(float s, const Tensor& x) { return div(s, x); }

// x: any shape  y: same shape
inline Tensor operator-(const Tensor& x) { return neg(x); }

}  // namespace syn
