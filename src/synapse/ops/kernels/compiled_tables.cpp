// Placeholder until the per-ISA units land: no vectorised tables are compiled in yet.
#include "synapse/ops/kernels/kernel_table.hpp"

namespace syn::kernels {
const KernelTable* compiled_table(Isa) { return nullptr; }
}  // namespace syn::kernels
