// The avx2 sparse kernel table: sparse_impl.hpp and sparse_block_impl.hpp instantiated for
// xsimd::fma3<xsimd::avx2>, compiled with only this instruction set's flags (Note [Kernel dispatch]). Call
// only where cpu_supports(Isa::avx2).
#include "synapse/ops/kernels/sparse_block_impl.hpp"

namespace syn::kernels::avx2 {

const SparseKernels& sparse_kernels() {
  static const SparseKernels table = simd::make_sparse_kernels<xsimd::fma3<xsimd::avx2>>(Isa::avx2);
  return table;
}

}  // namespace syn::kernels::avx2
