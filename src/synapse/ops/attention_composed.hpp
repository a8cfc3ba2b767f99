#pragma once
// Scaled dot-product attention composed from the general ops (matmul, softmax, where): the
// reference that the fused kernel (ops/attention.hpp) is tested and benchmarked against. It stores
// the (T, S) score matrix for backward.
#include "synapse/core/tensor.hpp"

namespace syn {

// q: (..., T, D)  k: (..., S, D)  v: (..., S, Dv)  y: (..., T, Dv)
// y = softmax(q·kᵀ·scale [+ causal mask: key s > query t gets -inf]) · v; scale <= 0 means 1/sqrt(D).
Tensor composed_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal = false,
                          float scale = 0.f);

}  // namespace syn
