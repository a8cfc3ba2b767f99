// Dispatch of the fused attention kernels (Note [Fused attention], Note [Kernel dispatch]).
#include "synapse/ops/kernels/attention.hpp"

#include "synapse/ops/kernels/gemm_kernels.hpp"

namespace syn::kernels {

namespace attention_scalar {
const AttentionKernels& kernels();
}
namespace attention_sse2 {
const AttentionKernels& kernels();
}
namespace attention_avx2 {
const AttentionKernels& kernels();
}
namespace attention_avx512 {
const AttentionKernels& kernels();
}

const AttentionKernels* attention_kernels_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  switch (isa) {
    case Isa::scalar:
      return &attention_scalar::kernels();
    case Isa::sse2:
      return &attention_sse2::kernels();
    case Isa::avx2:
      return &attention_avx2::kernels();
    case Isa::avx512:
      return &attention_avx512::kernels();
  }
  return nullptr;
}

const AttentionKernels& attention_kernels() {
  static const AttentionKernels& chosen = *attention_kernels_for(default_kernel_isa());
  return chosen;
}

}  // namespace syn::kernels
