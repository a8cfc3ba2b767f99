// Fused attention kernels compiled for SSE2 (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_micro.hpp"

namespace syn::kernels::attention_sse2 {

constexpr AttentionKernels kKernels = attention_detail::make_kernels<simd::SseArch>(Isa::sse2);

const AttentionKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::attention_sse2
