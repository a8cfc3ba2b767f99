#pragma once
// Scaled dot-product attention, the op multi-head attention calls.
#include "synapse/core/tensor.hpp"

namespace syn {

// q: (B, H, T, D)  k: (B, H, S, D)  v: (B, H, S, Dv)  y: (B, H, T, Dv)
// y = softmax(q·kᵀ·scale [+ causal mask]) · v; scale <= 0 means 1/sqrt(D).
Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal = false,
                                    float scale = 0.f);

}  // namespace syn
