// Fused attention kernels compiled for SCALAR (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention_micro.hpp"

namespace syn::kernels::attention_scalar {

constexpr AttentionKernels kKernels = attention_detail::make_kernels<simd::ScalarArch>(Isa::scalar);

const AttentionKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::attention_scalar
