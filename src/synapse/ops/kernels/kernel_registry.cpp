// kernel_isa(): the one instruction-set choice every kernel family follows (Note [Kernel dispatch]).
#include "synapse/ops/kernels/kernel_registry.hpp"

#include <cstdlib>
#include <string>

#include "synapse/core/error.hpp"

namespace syn::kernels {

Isa select_isa(const char* syn_isa) {
  if (syn_isa == nullptr || *syn_isa == '\0') return best_isa();
  const Isa isa = parse_isa(syn_isa);
  std::string missing;
  for (CpuFeature f : missing_features(isa, cpu_features())) missing += std::string(" ") + feature_name(f);
  SYN_CHECK_T(ValueError, missing.empty(), "SYN_ISA=", syn_isa, ": this CPU cannot run that instruction set (it lacks",
              missing, "; best available: ", isa_name(best_isa()), ")");
  return isa;
}

Isa kernel_isa() {
  static const Isa isa = select_isa(std::getenv("SYN_ISA"));
  return isa;
}

}  // namespace syn::kernels
