// The sse2 elementwise kernels: elementwise_impl.hpp instantiated for xsimd::sse2, compiled with only
// this instruction set's flags (Note [Kernel dispatch]).
#include "synapse/ops/kernels/elementwise_impl.hpp"

namespace syn::kernels::sse2 {

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels table = simd::make_elementwise_kernels<xsimd::sse2>(Isa::sse2);
  return table;
}

}  // namespace syn::kernels::sse2
