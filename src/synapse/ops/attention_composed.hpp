#pragma once
// UNFUSED attention, composed op by op — the baseline the fused kernels are measured against
// (bench_attention "composed") and a second oracle for them in tests; the library itself never
// calls it. Each step is one pass producing a new (heads, tq, tk) buffer, as a chain of tensor ops
// would: scores = bmm(q, kᵀ); scaled = scores·scale; masked (causal only); probs = softmax;
// out = bmm(probs, v). The backward pass runs the matching op backwards from the stored probs.
// The matmuls are kernels::gemm per head and the softmax is a plain row loop, because the matmul
// and softmax ops are written on another branch (the lead may switch to them when merging).
#include <cstdint>
#include <vector>

#include "synapse/ops/kernels/attention_kernels.hpp"

namespace syn {

// Shapes as in ops/kernels/attention_kernels.hpp; probs: (heads, tq, tk), kept for the backward pass.
void composed_attention_forward(const kernels::AttentionDims& dims, int64_t heads, const float* q,
                                const float* k, const float* v, float* out, std::vector<float>& probs);
// Writes dq, dk, dv (all three).
void composed_attention_backward(const kernels::AttentionDims& dims, int64_t heads, const float* q,
                                 const float* k, const float* v, const std::vector<float>& probs,
                                 const float* dout, float* dq, float* dk, float* dv);

}  // namespace syn
