#pragma once
// Instruction sets the kernels are compiled for, the CPU features each one needs, and which ones
// this CPU runs (Note [Kernel dispatch] in ops/kernels/kernel_registry.hpp).
#include <string>
#include <vector>

namespace syn {

enum class Isa { scalar, sse2, avx2, avx512 };
inline constexpr int kIsaCount = 4;

// The CPU features behind the -m flags that per-ISA kernel files are compiled with.
enum class CpuFeature { sse2, avx2, fma, bmi2, avx512f, avx512bw, avx512dq, avx512vl, avx512cd };

const char* isa_name(Isa isa);
const char* feature_name(CpuFeature feature);
// Parses "scalar", "sse2", "avx2" or "avx512"; throws ValueError naming SYN_ISA otherwise.
Isa parse_isa(const std::string& name);

// Every feature kernels compiled for `isa` may use: one per -m flag that cmake/SynapseTargets.cmake
// gives files named *_<isa>.cpp (sse2 is part of x86-64 and needs no flag; scalar needs nothing).
// The two lists must agree (Note [Kernel dispatch]).
std::vector<CpuFeature> isa_features(Isa isa);
// The features of `isa` that a CPU with features `cpu` lacks (empty: it can run `isa`).
std::vector<CpuFeature> missing_features(Isa isa, const std::vector<CpuFeature>& cpu);
// The features of this CPU, out of those CpuFeature names.
const std::vector<CpuFeature>& cpu_features();

// Whether this CPU can run kernels compiled for `isa`: it has every one of isa_features(isa).
bool cpu_supports(Isa isa);
// The widest instruction set this CPU supports.
Isa best_isa();
// Every instruction set this CPU can run, narrowest first (scalar always included).
std::vector<Isa> supported_isas();

}  // namespace syn
