// The elementwise kernel registry (Note [Kernel dispatch]). Baseline code.
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::kernels {

// Defined in elementwise_<isa>.cpp.
namespace scalar {
const ElementwiseKernels& elementwise_kernels();
}
namespace sse2 {
const ElementwiseKernels& elementwise_kernels();
}
namespace avx2 {
const ElementwiseKernels& elementwise_kernels();
}
namespace avx512 {
const ElementwiseKernels& elementwise_kernels();
}

constexpr KernelRegistry<ElementwiseKernels> kElementwise{
    {scalar::elementwise_kernels, sse2::elementwise_kernels, avx2::elementwise_kernels, avx512::elementwise_kernels}};

const ElementwiseKernels* elementwise_kernels_for(Isa isa) { return kElementwise.kernels_for(isa); }

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels& chosen = *elementwise_kernels_for(kernel_isa());
  return chosen;
}

}  // namespace syn::kernels
