// The avx512 sparse kernel table: sparse_impl.hpp and sparse_block_impl.hpp instantiated for
// xsimd::avx512bw, compiled with only this instruction set's flags (Note [Kernel dispatch]). Call only
// where cpu_supports(Isa::avx512). GCC 12 flags _mm512_undefined_*() (used by the AVX-512 intrinsics) as
// (maybe-)uninitialized once inlined: GCC bug 105593, fixed in GCC 13.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include "synapse/ops/kernels/sparse_block_impl.hpp"

namespace syn::kernels::avx512 {

const SparseKernels& sparse_kernels() {
  static const SparseKernels table = simd::make_sparse_kernels<xsimd::avx512bw>(Isa::avx512);
  return table;
}

}  // namespace syn::kernels::avx512
