// The recurrent kernels for AVX2+FMA: 8 floats per vector, 6 rows × 16 columns per matmul
// micro-kernel (12 of the 16 vector registers accumulate).
#include "synapse/ops/kernels/recurrent_impl.hpp"

namespace syn::kernels::avx2 {

const RecurrentKernels& recurrent_kernels() {
  static const RecurrentKernels table = make_recurrent_kernels<simd::Avx2Arch, 6>(Isa::avx2);
  return table;
}

}  // namespace syn::kernels::avx2
