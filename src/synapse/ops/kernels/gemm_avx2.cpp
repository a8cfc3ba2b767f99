// GEMM building blocks compiled for AVX2 (Note [Kernel dispatch], Note [GEMM blocking]):
// register tile 6 rows x 2 vectors.
#include "synapse/ops/kernels/gemm_impl.hpp"

namespace syn::kernels::avx2 {

constexpr GemmKernels kKernels =
    gemm_detail::make_gemm_kernels<simd::Avx2Arch, 6, 2>(Isa::avx2, /*kc=*/256);

const GemmKernels& gemm_kernels() { return kKernels; }

}  // namespace syn::kernels::avx2
