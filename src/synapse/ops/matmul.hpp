#pragma once
// Matrix products. Every one calls kernels::gemm, forward and backward, with transposition flags
// instead of materialised transposes.
#include "synapse/core/tensor.hpp"

namespace syn {

// torch.matmul semantics:
// a: (M, K)       b: (K, N)       y: (M, N)
// a: (..., M, K)  b: (..., K, N)  y: (broadcast of the batch dims, M, N)
// a: (K) acts as (1, K) and b: (K) as (K, 1); the added axis is dropped from y ((K)·(K) -> scalar).
Tensor matmul(const Tensor& a, const Tensor& b);

// a: (B, M, K)  b: (B, K, N)  y: (B, M, N)
Tensor bmm(const Tensor& a, const Tensor& b);

// x: (..., K)  w: (M, K)  bias: (M) or undefined  y: (..., M) = x·wᵀ + bias
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& bias = Tensor());

}  // namespace syn
