#pragma once
// KernelTable: the elementwise, activation and reduction kernels of one instruction set, as plain
// function pointers over raw float arrays. Kernels take pointers and sizes, never Tensors, so they
// can be tested and benchmarked directly; they do not allocate, throw or start threads (callers
// split work with parallel_for).
//
// Note [Kernel contract]
// - Pointers need no alignment; outputs may alias inputs exactly (y == x) but not partially.
// - The value computed for element i depends only on the inputs at i, never on n or on where the
//   range starts (tails run through the same vector code as the body): Note [Determinism].
// - IEEE propagation: a NaN input gives a NaN output in every elementwise kernel (relu and clamp
//   included); reductions that see a NaN return NaN.
// - Backward kernels *accumulate*: gx[i] += ...
// - Accuracy against the scalar reference (double-checked in tests): exact for add/sub/mul/div/neg/
//   abs/relu/sqrt/clamp/axpy/mul_add, within a few ulp (relative 1e-6, absolute 1e-7 near 0) for
//   the transcendental functions.
#include <cstdint>

#include "synapse/core/cpu_features.hpp"

namespace syn::kernels {

// n elements: y[i] = f(x[i])
using UnaryFn = void (*)(const float* x, float* y, int64_t n);
// n elements: y[i] = a[i] op b[i]
using BinaryFn = void (*)(const float* a, const float* b, float* y, int64_t n);
// n elements: y[i] = x[i] op s
using ScalarFn = void (*)(const float* x, float s, float* y, int64_t n);
// n elements: gx[i] += gy[i] * f'(at[i]), `at` being the saved input or output as named per kernel
using GradFn = void (*)(const float* at, const float* gy, float* gx, int64_t n);
// n elements -> one value
using ReduceFn = float (*)(const float* x, int64_t n);

struct KernelTable {
  Isa isa;
  // Binary, same length.
  BinaryFn add, sub, mul, div;
  // With a scalar: y = x + s, y = x * s, y = pow(x, s), y = max(x, s), y = min(x, s).
  ScalarFn add_scalar, mul_scalar, pow_scalar, max_scalar, min_scalar;
  // Unary.
  UnaryFn neg, abs, exp, log, sqrt, relu, sigmoid, tanh, gelu, gelu_tanh, softplus;
  // Backward, accumulating. relu/gelu/gelu_tanh/softplus take the input x; sigmoid/tanh the output y.
  GradFn relu_backward, gelu_backward, gelu_tanh_backward, softplus_backward, sigmoid_backward,
      tanh_backward;
  // acc[i] += a[i] * b[i]
  void (*mul_add)(const float* a, const float* b, float* acc, int64_t n);
  // y[i] += alpha * x[i]
  void (*axpy)(float alpha, const float* x, float* y, int64_t n);
  // y[i] = min(max(x[i], lo), hi)
  void (*clamp)(const float* x, float lo, float hi, float* y, int64_t n);
  // Reductions of one contiguous block (callers block for determinism: Note [Determinism]).
  ReduceFn sum, max;
  float (*dot)(const float* a, const float* b, int64_t n);
  // sum_i (x[i] - mean)^2
  float (*sum_sq_diff)(const float* x, float mean, int64_t n);
};

// The scalar reference kernels: plain loops, the test oracle for every instruction set.
const KernelTable& scalar_table();

}  // namespace syn::kernels
