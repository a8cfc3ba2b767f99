// Choosing the sparse kernel table (Note [Kernel dispatch]). Baseline-compiled.
#include "synapse/ops/kernels/sparse_kernels.hpp"

#include <cstdlib>

#include "synapse/core/error.hpp"

namespace syn::kernels {

const SparseKernels* sparse_kernels_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  return isa == Isa::scalar ? &scalar_sparse_kernels() : nullptr;
}

const SparseKernels& sparse_kernels() {
  static const SparseKernels& table = [&]() -> const SparseKernels& {
    if (const char* forced = std::getenv("SYN_ISA"); forced && *forced) {
      const Isa isa = parse_isa(forced);
      SYN_CHECK_T(ValueError, cpu_supports(isa), "SYN_ISA=", forced,
                  ": this CPU cannot run that instruction set (best available: ", isa_name(best_isa()), ")");
      if (const SparseKernels* t = sparse_kernels_for(isa)) return *t;
      return scalar_sparse_kernels();
    }
    const std::vector<Isa> isas = supported_isas();
    for (auto it = isas.rbegin(); it != isas.rend(); ++it)
      if (const SparseKernels* t = sparse_kernels_for(*it)) return *t;
    return scalar_sparse_kernels();
  }();
  return table;
}

}  // namespace syn::kernels
