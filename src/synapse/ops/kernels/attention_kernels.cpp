// The fused attention kernel registry (Note [Fused attention], Note [Kernel dispatch]). Baseline code.
#include "synapse/ops/kernels/attention_kernels.hpp"

namespace syn::kernels {

// Defined in attention_<isa>.cpp.
namespace scalar {
const AttentionKernels& attention_kernels();
}
namespace sse2 {
const AttentionKernels& attention_kernels();
}
namespace avx2 {
const AttentionKernels& attention_kernels();
}
namespace avx512 {
const AttentionKernels& attention_kernels();
}

constexpr KernelRegistry<AttentionKernels> kAttention{
    {scalar::attention_kernels, sse2::attention_kernels, avx2::attention_kernels, avx512::attention_kernels}};

const AttentionKernels* attention_kernels_for(Isa isa) { return kAttention.kernels_for(isa); }

const AttentionKernels& attention_kernels() {
  static const AttentionKernels& chosen = *attention_kernels_for(kernel_isa());
  return chosen;
}

}  // namespace syn::kernels
