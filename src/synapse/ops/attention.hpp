#pragma once
// Scaled-dot-product attention, fused (Note [Fused attention] in ops/kernels/attention_kernels.hpp).
#include <optional>

#include "synapse/core/tensor.hpp"

namespace syn {

// q: (..., tq, d)  k: (..., tk, d)  v: (..., tk, dv)  ->  (..., tq, dv), leading axes equal
// (e.g. (batch, heads, T, d)): softmax(q·kᵀ·scale)·v per leading index. scale defaults to
// 1/sqrt(d). causal: query i attends to keys j <= i only (top-left aligned, as PyTorch's
// is_causal). Differentiable in q, k and v; the backward pass recomputes the attention
// probabilities instead of storing them.
Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal = false,
                                    std::optional<float> scale = std::nullopt);

}  // namespace syn
