// The recurrent kernel registry (Note [Kernel dispatch]) and packing weights into panels
// (Note [Packed recurrent weights]). Baseline-compiled.
#include "synapse/ops/kernels/recurrent_kernels.hpp"

#include <algorithm>

#include "synapse/ops/kernels/sparse_kernels.hpp"

namespace syn::kernels {

// Defined in recurrent_<isa>.cpp (no sse2 table: scalar's stands in).
namespace scalar {
const RecurrentKernels& recurrent_kernels();
}
namespace avx2 {
const RecurrentKernels& recurrent_kernels();
}
namespace avx512 {
const RecurrentKernels& recurrent_kernels();
}

constexpr KernelRegistry<RecurrentKernels> kRecurrent{
    {scalar::recurrent_kernels, nullptr, avx2::recurrent_kernels, avx512::recurrent_kernels}};

const RecurrentKernels* recurrent_kernels_for(Isa isa) { return kRecurrent.kernels_for(isa); }

const RecurrentKernels& recurrent_kernels() {
  static const RecurrentKernels& chosen = *recurrent_kernels_for(kernel_isa());
  return chosen;
}

int64_t packed_size(int64_t k, int64_t n, int64_t panel) { return (n + panel - 1) / panel * panel * k; }

void pack_panels(int64_t k, int64_t n, const float* b, int64_t ldb, bool transposed, int64_t panel,
                 float* packed) {
  const int64_t panels = (n + panel - 1) / panel;
  for (int64_t q = 0; q < panels; ++q) {
    float* out = packed + q * k * panel;
    const float* src = b + (transposed ? q * panel * ldb : q * panel);
    const int64_t width = std::min(panel, n - q * panel);
    if (transposed) {  // the vectorised transpose of the active sparse table (plain copies)
      sparse_kernels().transpose(width, k, src, ldb, out, panel);
    } else {
      for (int64_t p = 0; p < k; ++p) std::copy(src + p * ldb, src + p * ldb + width, out + p * panel);
    }
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = width; j < panel; ++j) out[p * panel + j] = 0.f;
  }
}

}  // namespace syn::kernels
