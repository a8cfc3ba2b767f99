#include "synapse/core/cpu_features.hpp"

#include <algorithm>

#include "synapse/core/error.hpp"

namespace syn {

namespace {
constexpr Isa kIsas[] = {Isa::scalar, Isa::sse2, Isa::avx2, Isa::avx512};
constexpr CpuFeature kFeatures[] = {CpuFeature::sse2,     CpuFeature::avx2,     CpuFeature::fma,
                                    CpuFeature::bmi2,     CpuFeature::avx512f,  CpuFeature::avx512bw,
                                    CpuFeature::avx512dq, CpuFeature::avx512vl, CpuFeature::avx512cd};
}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::scalar: return "scalar";
    case Isa::sse2: return "sse2";
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
  }
  return "unknown";
}

const char* feature_name(CpuFeature feature) {
  switch (feature) {
    case CpuFeature::sse2: return "sse2";
    case CpuFeature::avx2: return "avx2";
    case CpuFeature::fma: return "fma";
    case CpuFeature::bmi2: return "bmi2";
    case CpuFeature::avx512f: return "avx512f";
    case CpuFeature::avx512bw: return "avx512bw";
    case CpuFeature::avx512dq: return "avx512dq";
    case CpuFeature::avx512vl: return "avx512vl";
    case CpuFeature::avx512cd: return "avx512cd";
  }
  return "unknown";
}

Isa parse_isa(const std::string& name) {
  for (Isa isa : kIsas)
    if (name == isa_name(isa)) return isa;
  throw ValueError("SYN_ISA: unknown instruction set '" + name +
                   "' (expected scalar, sse2, avx2 or avx512)");
}

std::vector<CpuFeature> isa_features(Isa isa) {
  using F = CpuFeature;
  switch (isa) {
    case Isa::scalar: return {};
    case Isa::sse2: return {F::sse2};
    case Isa::avx2: return {F::sse2, F::avx2, F::fma, F::bmi2};
    case Isa::avx512:
      return {F::sse2, F::avx2, F::fma, F::bmi2, F::avx512f, F::avx512bw, F::avx512dq, F::avx512vl, F::avx512cd};
  }
  return {};
}

std::vector<CpuFeature> missing_features(Isa isa, const std::vector<CpuFeature>& cpu) {
  std::vector<CpuFeature> missing;
  for (CpuFeature f : isa_features(isa))
    if (std::find(cpu.begin(), cpu.end(), f) == cpu.end()) missing.push_back(f);
  return missing;
}

const std::vector<CpuFeature>& cpu_features() {
  static const std::vector<CpuFeature> features = [] {
    __builtin_cpu_init();
    // __builtin_cpu_supports takes a string literal, hence the switch.
    const auto has = [](CpuFeature f) -> bool {
      switch (f) {
        case CpuFeature::sse2: return __builtin_cpu_supports("sse2");
        case CpuFeature::avx2: return __builtin_cpu_supports("avx2");
        case CpuFeature::fma: return __builtin_cpu_supports("fma");
        case CpuFeature::bmi2: return __builtin_cpu_supports("bmi2");
        case CpuFeature::avx512f: return __builtin_cpu_supports("avx512f");
        case CpuFeature::avx512bw: return __builtin_cpu_supports("avx512bw");
        case CpuFeature::avx512dq: return __builtin_cpu_supports("avx512dq");
        case CpuFeature::avx512vl: return __builtin_cpu_supports("avx512vl");
        case CpuFeature::avx512cd: return __builtin_cpu_supports("avx512cd");
      }
      return false;
    };
    std::vector<CpuFeature> out;
    for (CpuFeature f : kFeatures)
      if (has(f)) out.push_back(f);
    return out;
  }();
  return features;
}

bool cpu_supports(Isa isa) { return missing_features(isa, cpu_features()).empty(); }

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : kIsas)
    if (cpu_supports(isa)) out.push_back(isa);
  return out;
}

Isa best_isa() { return supported_isas().back(); }

}  // namespace syn
