#include "synapse/ops/kernels/dispatch.hpp"

#include <cstdlib>

#include "synapse/core/error.hpp"

namespace syn::kernels {

// The table compiled for `isa`, whether or not this CPU can run it (compiled_tables.cpp).
const KernelTable* compiled_table(Isa isa);

const KernelTable* table_for(Isa isa) {
  if (!cpu_supports(isa)) return nullptr;
  if (isa == Isa::scalar) return &scalar_table();
  return compiled_table(isa);
}

const KernelTable& select_table(const char* syn_isa) {
  if (syn_isa && *syn_isa) {
    const Isa isa = parse_isa(syn_isa);
    const KernelTable* table = table_for(isa);
    SYN_CHECK_T(ValueError, table != nullptr, "SYN_ISA=", syn_isa,
                ": this CPU cannot run that instruction set (best available: ", isa_name(best_isa()), ")");
    return *table;
  }
  const std::vector<Isa> isas = supported_isas();
  for (auto it = isas.rbegin(); it != isas.rend(); ++it)
    if (const KernelTable* table = table_for(*it)) return *table;
  return scalar_table();
}

const KernelTable& active() {
  static const KernelTable& table = select_table(std::getenv("SYN_ISA"));
  return table;
}

Isa active_isa() { return active().isa; }

}  // namespace syn::kernels
