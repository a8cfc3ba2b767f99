// The sparse kernel registry (Note [Kernel dispatch]). Baseline-compiled.
#include "synapse/ops/kernels/sparse_kernels.hpp"

#include "synapse/ops/kernels/kernel_registry.hpp"

namespace syn::kernels {

// Defined in sparse_<isa>.cpp.
namespace scalar {
const SparseKernels& sparse_kernels();
}

constexpr KernelRegistry<SparseKernels> kSparse{{scalar::sparse_kernels, nullptr, nullptr, nullptr}};

const SparseKernels* sparse_kernels_for(Isa isa) { return kSparse.kernels_for(isa); }

const SparseKernels& sparse_kernels() {
  static const SparseKernels& chosen = *sparse_kernels_for(kernel_isa());
  return chosen;
}

}  // namespace syn::kernels
