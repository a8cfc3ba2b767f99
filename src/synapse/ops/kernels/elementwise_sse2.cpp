// The sse2 kernel table: elementwise_impl.hpp instantiated for xsimd::sse2, compiled with
// only this instruction set's flags (Note [Kernel dispatch]). Call only where cpu_supports(Isa::sse2).
#include "synapse/ops/kernels/elementwise_impl.hpp"

namespace syn::kernels {
const KernelTable& sse2_table() {
  static const KernelTable table = simd::make_table<xsimd::sse2>(Isa::sse2);
  return table;
}
}  // namespace syn::kernels
