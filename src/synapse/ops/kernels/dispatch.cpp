#include "synapse/ops/kernels/dispatch.hpp"

#include <cstdlib>

#include "synapse/core/error.hpp"

namespace syn::kernels {

// Defined in the per-ISA translation units (Note [Kernel dispatch]).
const KernelTable* compiled_table(Isa isa);

const KernelTable* table_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  if (isa == Isa::scalar) return &scalar_table();
  return compiled_table(isa);
}

namespace {
const KernelTable& choose() {
  if (const char* forced = std::getenv("SYN_ISA"); forced && *forced) {
    const Isa isa = parse_isa(forced);
    const KernelTable* table = table_for(isa);
    SYN_CHECK_T(ValueError, table != nullptr, "SYN_ISA=", forced,
                ": this CPU cannot run that instruction set (best available: ", isa_name(best_isa()), ")");
    return *table;
  }
  const std::vector<Isa> isas = supported_isas();
  for (auto it = isas.rbegin(); it != isas.rend(); ++it)
    if (const KernelTable* table = table_for(*it)) return *table;
  return scalar_table();
}
}  // namespace

const KernelTable& active() {
  static const KernelTable& table = choose();
  return table;
}

Isa active_isa() { return active().isa; }

}  // namespace syn::kernels
