#pragma once
// Helpers for ops that apply a kernel elementwise in parallel chunks (Note [Determinism]).
#include "synapse/core/parallel.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::detail {

// Elements per parallel chunk for cheap elementwise kernels.
inline constexpr int64_t kElementwiseGrain = 16384;

// x: any shape -> y: same shape, y = kernel(x)
inline Tensor map_unary(const Tensor& x, kernels::UnaryFn kernel) {
  Tensor y = Tensor::empty(x.shape());
  const float* px = x.data();
  float* py = y.mutable_data();
  parallel_for(x.numel(), kElementwiseGrain,
               [&](int64_t b, int64_t e) { kernel(px + b, py + b, e - b); });
  return y;
}

// at, gy: same shape; gx += gy * f'(at) via a GradFn kernel
inline void map_grad(const Tensor& at, const Tensor& gy, Tensor& gx, kernels::GradFn kernel) {
  const float* pa = at.data();
  const float* pg = gy.data();
  float* px = gx.mutable_data();
  parallel_for(at.numel(), kElementwiseGrain,
               [&](int64_t b, int64_t e) { kernel(pa + b, pg + b, px + b, e - b); });
}

}  // namespace syn::detail
