#pragma once
// Elementwise arithmetic and math, each differentiable. Binary ops broadcast their operands
// (ops/broadcast.hpp) and reduce gradients back with sum_to. A float operand is a constant.
// NaN propagates (IEEE) through every forward value; at kinks the gradient follows PyTorch
// (Note [Subgradients] in ops/subgradient.hpp).
#include "synapse/core/tensor.hpp"

namespace syn {

// a: A  b: B  y: broadcast(A, B)
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
// a^b; d/da = b·a^(b-1) (0 where b == 0), d/db = a^b·log(a) (0 where a == 0 and b >= 0).
Tensor pow(const Tensor& a, const Tensor& b);

// x: any shape, s: constant -> y: x's shape
Tensor add(const Tensor& x, float s);
Tensor sub(const Tensor& x, float s);
Tensor sub(float s, const Tensor& x);
Tensor mul(const Tensor& x, float s);
Tensor div(const Tensor& x, float s);
Tensor div(float s, const Tensor& x);
// x^p; the gradient is 0 everywhere when p == 0.
Tensor pow(const Tensor& x, float p);

// x: any shape -> y: same shape
Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
// Subgradient 0 at x == 0.
Tensor abs(const Tensor& x);
// min(max(x, lo), hi); the gradient passes where lo <= x <= hi (bounds included, as in PyTorch).
// ValueError if lo > hi.
Tensor clamp(const Tensor& x, float lo, float hi);

// cond: C  a: A  b: B  y: broadcast(C, A, B); y = cond != 0 ? a : b (NaN counts as true).
// cond is not differentiated; the gradient goes to a where cond holds and to b elsewhere.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

}  // namespace syn
