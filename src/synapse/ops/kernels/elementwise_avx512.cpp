// The avx512 kernel table: elementwise_impl.hpp instantiated for xsimd::avx512bw, compiled with
// only this instruction set's flags (Note [Kernel dispatch]). Call only where cpu_supports(Isa::avx512).
// GCC 12 flags _mm512_undefined_*() (used by the AVX-512 intrinsics) as (maybe-)uninitialized once
// inlined: GCC bug 105593, fixed in GCC 13.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include "synapse/ops/kernels/elementwise_impl.hpp"

namespace syn::kernels {
const KernelTable& avx512_table() {
  static const KernelTable table = simd::make_table<xsimd::avx512bw>(Isa::avx512);
  return table;
}
}  // namespace syn::kernels
