// GEMM building blocks compiled for AVX512 (Note [Kernel dispatch], Note [GEMM blocking]):
// register tile 8 rows x 3 vectors.
#include "synapse/ops/kernels/gemm_micro.hpp"

namespace syn::kernels::gemm_avx512 {

constexpr GemmKernels kKernels =
    gemm_detail::make_kernels<simd::Avx512Arch, 8, 3>(Isa::avx512, /*kc=*/256, /*mc=*/192, /*nc=*/2048);

const GemmKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::gemm_avx512
