// Fused attention kernels compiled for AVX512 (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_impl.hpp"

namespace syn::kernels::avx512 {

constexpr AttentionKernels kKernels = attention_detail::make_attention_kernels<simd::Avx512Arch>(Isa::avx512);

const AttentionKernels& attention_kernels() { return kKernels; }

}  // namespace syn::kernels::avx512
