// compiled_table(): the vectorised tables compiled into this build (Note [Kernel dispatch]). Built
// with baseline flags. Each *_table() runs code compiled for its instruction set, so table_for()
// calls this only after cpu_supports() said yes.
#include "synapse/ops/kernels/kernel_table.hpp"

namespace syn::kernels {

// Defined in elementwise_sse2.cpp, elementwise_avx2.cpp and elementwise_avx512.cpp.
const KernelTable& sse2_table();
const KernelTable& avx2_table();
const KernelTable& avx512_table();

const KernelTable* compiled_table(Isa isa) {
  switch (isa) {
    case Isa::scalar: return &scalar_table();
    case Isa::sse2: return &sse2_table();
    case Isa::avx2: return &avx2_table();
    case Isa::avx512: return &avx512_table();
  }
  return nullptr;
}

}  // namespace syn::kernels
