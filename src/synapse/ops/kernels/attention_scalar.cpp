// Fused attention kernels compiled for SCALAR (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_impl.hpp"

namespace syn::kernels::scalar {

constexpr AttentionKernels kKernels = attention_detail::make_attention_kernels<simd::ScalarArch>(Isa::scalar);

const AttentionKernels& attention_kernels() { return kKernels; }

}  // namespace syn::kernels::scalar
