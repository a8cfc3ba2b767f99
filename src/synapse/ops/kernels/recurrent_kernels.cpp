// Choosing the recurrent kernel table (Note [Kernel dispatch]) and packing weights into panels
// (Note [Packed recurrent weights]). Baseline-compiled.
#include "synapse/ops/kernels/recurrent_kernels.hpp"

#include <algorithm>
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
    case Isa::scalar:
      return &scalar_recurrent_kernels();
    case Isa::avx2:
      return &avx2::recurrent_table();
    case Isa::avx512:
      return &avx512::recurrent_table();
    case Isa::sse2:
      return nullptr;
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
  constexpr int64_t kTile = 16;  // transposing in 16 x 16 tiles keeps reads and writes cache-friendly
  const int64_t panels = (n + panel - 1) / panel;
  for (int64_t q = 0; q < panels; ++q) {
    float* out = packed + q * k * panel;
    const float* src = b + (transposed ? q * panel * ldb : q * panel);
    const int64_t width = std::min(panel, n - q * panel);
    for (int64_t j0 = 0; j0 < width; j0 += kTile)
      for (int64_t p0 = 0; p0 < k; p0 += kTile) {
        const int64_t j1 = std::min(width, j0 + kTile), p1 = std::min(k, p0 + kTile);
        if (transposed) {
          for (int64_t p = p0; p < p1; ++p)
            for (int64_t j = j0; j < j1; ++j) out[p * panel + j] = src[j * ldb + p];
        } else {
          for (int64_t p = p0; p < p1; ++p)
            for (int64_t j = j0; j < j1; ++j) out[p * panel + j] = src[p * ldb + j];
        }
      }
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = width; j < panel; ++j) out[p * panel + j] = 0.f;
  }
}

}  // namespace syn::kernels
