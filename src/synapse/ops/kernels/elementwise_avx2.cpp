// The avx2 kernel table: elementwise_impl.hpp instantiated for xsimd::fma3<xsimd::avx2>, compiled with
// only this instruction set's flags (Note [Kernel dispatch]). Call only where cpu_supports(Isa::avx2).
#include "synapse/ops/kernels/elementwise_impl.hpp"

namespace syn::kernels {
const KernelTable& avx2_table() {
  static const KernelTable table = simd::make_table<xsimd::fma3<xsimd::avx2>>(Isa::avx2);
  return table;
}
}  // namespace syn::kernels
