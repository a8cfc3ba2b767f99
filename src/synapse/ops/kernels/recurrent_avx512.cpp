// The recurrent kernels for AVX-512: 16 floats per vector, 8 rows × 32 columns per matmul
// micro-kernel (16 of the 32 vector registers accumulate).
#include "synapse/ops/kernels/recurrent_impl.hpp"

namespace syn::kernels::avx512 {

const RecurrentKernels& recurrent_kernels() {
  static const RecurrentKernels table = make_recurrent_kernels<simd::Avx512Arch, 8>(Isa::avx512);
  return table;
}

}  // namespace syn::kernels::avx512
