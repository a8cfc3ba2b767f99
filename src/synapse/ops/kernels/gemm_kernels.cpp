// The GEMM building-block registry (Note [Kernel dispatch]). Baseline code.
#include "synapse/ops/kernels/gemm_kernels.hpp"

namespace syn::kernels {

// Defined in gemm_<isa>.cpp.
namespace sse2 {
const GemmKernels& gemm_kernels();
}
namespace avx2 {
const GemmKernels& gemm_kernels();
}
namespace avx512 {
const GemmKernels& gemm_kernels();
}

constexpr KernelRegistry<GemmKernels> kGemm{{nullptr, sse2::gemm_kernels, avx2::gemm_kernels, avx512::gemm_kernels}};

const GemmKernels* gemm_kernels_for(Isa isa) { return kGemm.kernels_for(isa); }

}  // namespace syn::kernels
