// Fused attention kernels compiled for AVX2 (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_impl.hpp"

namespace syn::kernels::avx2 {

constexpr AttentionKernels kKernels = attention_detail::make_attention_kernels<simd::Avx2Arch>(Isa::avx2);

const AttentionKernels& attention_kernels() { return kKernels; }

}  // namespace syn::kernels::avx2
