// The sparse kernel registry (Note [Kernel dispatch]). Baseline-compiled.
#include "synapse/ops/kernels/sparse_kernels.hpp"

#include "synapse/ops/kernels/kernel_registry.hpp"

namespace syn::kernels {

// Defined in sparse_<isa>.cpp.
namespace scalar {
const SparseKernels& sparse_kernels();
}
namespace sse2 {
const SparseKernels& sparse_kernels();
}
namespace avx2 {
const SparseKernels& sparse_kernels();
}
namespace avx512 {
const SparseKernels& sparse_kernels();
}

constexpr KernelRegistry<SparseKernels> kSparse{
    {scalar::sparse_kernels, sse2::sparse_kernels, avx2::sparse_kernels, avx512::sparse_kernels}};

const SparseKernels* sparse_kernels_for(Isa isa) { return kSparse.kernels_for(isa); }

const SparseKernels& sparse_kernels() {
  static const SparseKernels& chosen = *sparse_kernels_for(kernel_isa());
  return chosen;
}

}  // namespace syn::kernels
