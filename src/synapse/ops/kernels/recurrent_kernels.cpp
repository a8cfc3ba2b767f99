// Choosing the recurrent kernel table (Note [Kernel dispatch]) and packing weights into panels
// (Note [Packed recurrent weights]). Baseline-compiled.
#include "synapse/ops/kernels/recurrent_kernels.hpp"

#include <cstdlib>

#include "synapse/core/error.hpp"

namespace syn::kernels {

// Defined in recurrent_kernels_avx2.cpp and recurrent_kernels_avx512.cpp.
namespace avx2 {
const RecurrentKernels& recurrent_table();
}
namespace avx512 {
const RecurrentKernels& recurrent_table();
}

const RecurrentKernels* recurrent_kernels_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  switch (isa) {
    case Isa::scalar: return &scalar_recurrent_kernels();
    case Isa::avx2: return &avx2::recurrent_table();
    case Isa::avx512: return &avx512::recurrent_table();
    case Isa::sse2: return nullptr;
  }
  return nullptr;
}

namespace {
const RecurrentKernels& choose() {
  if (const char* forced = std::getenv("SYN_ISA"); forced && *forced) {
    const Isa isa = parse_isa(forced);
    SYN_CHECK_T(ValueError, cpu_supports(isa), "SYN_ISA=", forced,
                ": this CPU cannot run that instruction set (best available: ", isa_name(best_isa()), ")");
    if (const RecurrentKernels* table = recurrent_kernels_for(isa)) return *table;
    return scalar_recurrent_kernels();
  }
  const std::vector<Isa> isas = supported_isas();
  for (auto it = isas.rbegin(); it != isas.rend(); ++it)
    if (const RecurrentKernels* table = recurrent_kernels_for(*it)) return *table;
  return scalar_recurrent_kernels();
}
}  // namespace

const RecurrentKernels& recurrent_kernels() {
  static const RecurrentKernels& table = choose();
  return table;
}

int64_t packed_size(int64_t k, int64_t n, int64_t panel) { return (n + panel - 1) / panel * panel * k; }

void pack_panels(int64_t k, int64_t n, const float* b, int64_t ldb, bool transposed, int64_t panel,
                 float* packed) {
  const int64_t panels = (n + panel - 1) / panel;
  for (int64_t q = 0; q < panels; ++q)
    for (int64_t p = 0; p < k; ++p) {
      float* out = packed + (q * k + p) * panel;
      for (int64_t jj = 0; jj < panel; ++jj) {
        const int64_t j = q * panel + jj;
        out[jj] = j >= n ? 0.f : transposed ? b[j * ldb + p] : b[p * ldb + j];
      }
    }
}

}  // namespace syn::kernels
