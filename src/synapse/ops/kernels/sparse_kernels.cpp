// Choosing the sparse kernel table (Note [Kernel dispatch]). Baseline-compiled.
#include "synapse/ops/kernels/sparse_kernels.hpp"

#include <cstdlib>

#include "synapse/core/error.hpp"

namespace syn::kernels {

// Defined in sparse_sse2.cpp, sparse_avx2.cpp and sparse_avx512.cpp.
namespace sse2 {
const SparseKernels& sparse_table();
}
namespace avx2 {
const SparseKernels& sparse_table();
}
namespace avx512 {
const SparseKernels& sparse_table();
}

const SparseKernels* sparse_kernels_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  switch (isa) {
    case Isa::scalar:
      return &scalar_sparse_kernels();
    case Isa::sse2:
      return &sse2::sparse_table();
    case Isa::avx2:
      return &avx2::sparse_table();
    case Isa::avx512:
      return &avx512::sparse_table();
  }
  return nullptr;
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
