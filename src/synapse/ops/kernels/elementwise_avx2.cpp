// The avx2 elementwise kernels: elementwise_impl.hpp instantiated for xsimd::fma3<xsimd::avx2>, compiled with only
// this instruction set's flags (Note [Kernel dispatch]).
#include "synapse/ops/kernels/elementwise_impl.hpp"

namespace syn::kernels::avx2 {

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels table = simd::make_elementwise_kernels<xsimd::fma3<xsimd::avx2>>(Isa::avx2);
  return table;
}

}  // namespace syn::kernels::avx2
