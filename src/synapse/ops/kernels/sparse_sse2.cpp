// The sse2 sparse kernel table: sparse_impl.hpp and sparse_block_impl.hpp instantiated for xsimd::sse2,
// compiled with only this instruction set's flags (Note [Kernel dispatch]). Call only where
// cpu_supports(Isa::sse2).
#include "synapse/ops/kernels/sparse_block_impl.hpp"

namespace syn::kernels::sse2 {

const SparseKernels& sparse_kernels() {
  static const SparseKernels table = simd::make_sparse_kernels<xsimd::sse2>(Isa::sse2);
  return table;
}

}  // namespace syn::kernels::sse2
