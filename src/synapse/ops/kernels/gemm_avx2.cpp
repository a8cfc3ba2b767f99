// GEMM building blocks compiled for AVX2 (Note [Kernel dispatch], Note [GEMM blocking]):
// register tile 6 rows x 2 vectors.
#include "synapse/ops/kernels/gemm_micro.hpp"

namespace syn::kernels::gemm_avx2 {

constexpr GemmKernels kKernels =
    gemm_detail::make_kernels<simd::Avx2Arch, 6, 2>(Isa::avx2, /*kc=*/256, /*mc=*/144, /*nc=*/2048);

const GemmKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::gemm_avx2
