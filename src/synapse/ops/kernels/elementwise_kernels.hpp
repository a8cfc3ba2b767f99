#pragma once
// ElementwiseKernels: the elementwise, activation and reduction kernels of one instruction set, as plain
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
// - Backward kernels *accumulate*: gx[i] += gy[i] * f'(at[i]), the product rounded, then the add.
// - Accuracy against the scalar reference, for every vectorised ISA (tests/kernels check it on a
//   dense sweep of bit patterns; bounds measured over every 31st float, NaN/inf/denormals included):
//   exact (bitwise) for add/sub/mul/div, the *_scalar ops, neg/abs/sqrt/relu/clamp, mul_add/axpy, adam,
//   relu/sigmoid/tanh_backward, and pow_scalar except for s = 2 and 0.5 (any other s calls
//   libm's powf lane by lane: not vectorised);
//   relative 2.4e-7 (2 ulp; measured 1.2e-7) for exp, log and pow_scalar with s = 2 or 0.5;
//   relative 3.6e-7 (3 ulp; measured 2.6e-7) for tanh, sigmoid, softplus and softplus_backward;
//   those two bounds allow one unit (2^-149) more where the result is denormal;
//   gelu, gelu_tanh: relative 6e-7 where |y| >= 0.1, absolute 6e-8 below (measured 5.2e-7). In the
//   far negative tail (x < -5, |y| < 1e-6) the float reference itself is off by up to 1e-5
//   relative, from rounding erfc's and tanh's arguments. The vectorised gelu carries x^2 / 2
//   exactly and stays within 4.8e-7 relative of a double-precision gelu everywhere; gelu_tanh
//   rounds u like the reference does (up to 1.2e-5 relative in that tail, both of them);
//   gelu_backward, gelu_tanh_backward: relative 1.5e-6 where |y| >= 0.1, absolute 1.5e-7 below
//   (measured 1.2e-6: the two terms of the derivative cancel near its zero at x = -0.75).
//   Reductions (sum/dot/sum_sq_diff) add in a different order than the reference: within the
//   a priori bound (n + 1) 2^-24 sum|terms|; max is exact.
// - Signalling NaNs are treated as quiet ones (pow(sNaN, 0) = 1, where glibc gives NaN).
#include <cstdint>

#include "synapse/ops/kernels/kernel_registry.hpp"

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

// The constants of one Adam / AdamW step (nn/adam.hpp has the formulas), each rounded to float once.
// l2: g += wd·p first (Adam's weight decay); decoupled: p *= decay first (AdamW's).
struct AdamStep {
  float beta1, one_minus_beta1, beta2, one_minus_beta2;
  float neg_step_size;  // -lr / (1 - beta1^t)
  float bc2_sqrt;       // sqrt(1 - beta2^t)
  float eps, wd, decay;
  bool l2, decoupled;
};

struct ElementwiseKernels {
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
  // g, p, m, v, v_max: (n)  one Adam step in torch's operation order, p, m, v updated in place;
  // v_max (amsgrad's running maximum of v, NaN kept from v) updated too unless nullptr.
  void (*adam)(const AdamStep& s, const float* g, float* p, float* m, float* v, float* v_max, int64_t n);
  // Reductions of one contiguous block (callers block for determinism: Note [Determinism]).
  ReduceFn sum, max;
  float (*dot)(const float* a, const float* b, int64_t n);
  // sum_i (x[i] - mean)^2
  float (*sum_sq_diff)(const float* x, float mean, int64_t n);
};

// The table for `isa` (Isa::scalar: the plain-loop reference, the test oracle), or nullptr if this CPU
// cannot run it; and the table every op uses, chosen once (Note [Kernel dispatch]).
const ElementwiseKernels* elementwise_kernels_for(Isa isa);
const ElementwiseKernels& elementwise_kernels();

}  // namespace syn::kernels
