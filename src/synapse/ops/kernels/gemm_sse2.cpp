// GEMM building blocks compiled for SSE2 (Note [Kernel dispatch], Note [GEMM blocking]):
// register tile 4 rows x 2 vectors.
#include "synapse/ops/kernels/gemm_micro.hpp"

namespace syn::kernels::gemm_sse2 {

constexpr GemmKernels kKernels =
    gemm_detail::make_kernels<simd::SseArch, 4, 2>(Isa::sse2, /*kc=*/256, /*mc=*/128, /*nc=*/2048);

const GemmKernels& kernels() { return kKernels; }

}  // namespace syn::kernels::gemm_sse2
