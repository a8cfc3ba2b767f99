#pragma once
// Instruction sets the kernels are compiled for, and which one runs (Note [Kernel dispatch] in
// ops/kernels/dispatch.hpp).
#include <string>
#include <vector>

namespace syn {

enum class Isa { scalar, sse2, avx2, avx512 };

const char* isa_name(Isa isa);
// Parses "scalar", "sse2", "avx2" or "avx512"; throws ValueError naming SYN_ISA otherwise.
Isa parse_isa(const std::string& name);
// Whether this CPU can run kernels compiled for `isa` (avx2 means AVX2+FMA; avx512 means F+BW+DQ+VL).
bool cpu_supports(Isa isa);
// The widest instruction set this CPU supports.
Isa best_isa();
// Every instruction set this CPU can run, narrowest first (scalar always included).
std::vector<Isa> supported_isas();

}  // namespace syn
