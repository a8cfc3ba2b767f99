// Fused attention kernels compiled for SSE2 (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_impl.hpp"

namespace syn::kernels::sse2 {

constexpr AttentionKernels kKernels = attention_detail::make_attention_kernels<simd::SseArch>(Isa::sse2);

const AttentionKernels& attention_kernels() { return kKernels; }

}  // namespace syn::kernels::sse2
