// The avx512 elementwise kernels: elementwise_impl.hpp instantiated for xsimd::avx512bw, compiled with only
// this instruction set's flags (Note [Kernel dispatch]).
// GCC 12 flags _mm512_undefined_*() (used by the AVX-512 intrinsics) as (maybe-)uninitialized once
// inlined: GCC bug 105593, fixed in GCC 13.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include "synapse/ops/kernels/elementwise_impl.hpp"

namespace syn::kernels::avx512 {

const ElementwiseKernels& elementwise_kernels() {
  static const ElementwiseKernels table = simd::make_elementwise_kernels<xsimd::avx512bw>(Isa::avx512);
  return table;
}

}  // namespace syn::kernels::avx512
