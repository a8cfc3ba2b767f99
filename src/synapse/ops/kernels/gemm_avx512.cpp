// GEMM building blocks compiled for AVX512 (Note [Kernel dispatch], Note [GEMM blocking]):
// register tile 8 rows x 3 vectors.
#include "synapse/ops/kernels/gemm_impl.hpp"

namespace syn::kernels::avx512 {

constexpr GemmKernels kKernels =
    gemm_detail::make_gemm_kernels<simd::Avx512Arch, 8, 3>(Isa::avx512, /*kc=*/256);

const GemmKernels& gemm_kernels() { return kKernels; }

}  // namespace syn::kernels::avx512
