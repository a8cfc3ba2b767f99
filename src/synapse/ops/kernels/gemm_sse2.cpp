// GEMM building blocks compiled for SSE2 (Note [Kernel dispatch], Note [GEMM blocking]):
// register tile 4 rows x 2 vectors.
#include "synapse/ops/kernels/gemm_impl.hpp"

namespace syn::kernels::sse2 {

constexpr GemmKernels kKernels =
    gemm_detail::make_gemm_kernels<simd::SseArch, 4, 2>(Isa::sse2, /*kc=*/256);

const GemmKernels& gemm_kernels() { return kKernels; }

}  // namespace syn::kernels::sse2
