// Fused attention kernels compiled for AVX2 (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_micro.hpp"

namespace syn::kernels::attention_avx2 {

constexpr AttentionKernels kKernels = attention_detail::make_kernels<simd::Avx2Arch>(Isa::avx2);

const AttentionKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::attention_avx2
