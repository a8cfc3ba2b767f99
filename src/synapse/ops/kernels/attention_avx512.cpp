// Fused attention kernels compiled for AVX512 (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_micro.hpp"

namespace syn::kernels::attention_avx512 {

constexpr AttentionKernels kKernels = attention_detail::make_kernels<simd::Avx512Arch>(Isa::avx512);

const AttentionKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::attention_avx512
