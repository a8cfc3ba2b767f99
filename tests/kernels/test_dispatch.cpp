// Note [Kernel dispatch]: one ISA choice for every family, the registry's fallback, and the CPU
// feature check.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/ops/kernels/attention_kernels.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"
#include "synapse/ops/kernels/gemm_kernels.hpp"
#include "synapse/ops/kernels/kernel_registry.hpp"
#include "synapse/ops/kernels/recurrent_kernels.hpp"

using namespace syn;
using namespace syn::kernels;

namespace {

constexpr Isa kIsas[] = {Isa::scalar, Isa::sse2, Isa::avx2, Isa::avx512};

// The ISA a family's chosen table was compiled for is kernel_isa(), or the next narrower one the
// family has a table for.
template <class Kernels>
void check_follows_kernel_isa(const Kernels& chosen, const Kernels* (*kernels_for)(Isa)) {
  CHECK(kernels_for(kernel_isa()) == &chosen);
  CHECK(static_cast<int>(chosen.isa) <= static_cast<int>(kernel_isa()));
  CHECK(cpu_supports(chosen.isa));
}

struct Dummy {
  Isa isa;
};
const Dummy& dummy_scalar() {
  static const Dummy d{Isa::scalar};
  return d;
}
const Dummy& dummy_avx2() {
  static const Dummy d{Isa::avx2};
  return d;
}

}  // namespace

TEST_CASE("dispatch: every family runs the one ISA kernel_isa() chose") {
  const char* forced = std::getenv("SYN_ISA");
  if (forced != nullptr && *forced != 0)
    CHECK(kernel_isa() == parse_isa(forced));
  else
    CHECK(kernel_isa() == best_isa());
  check_follows_kernel_isa(elementwise_kernels(), elementwise_kernels_for);
  check_follows_kernel_isa(attention_kernels(), attention_kernels_for);
  check_follows_kernel_isa(recurrent_kernels(), recurrent_kernels_for);
  // Elementwise and attention have a table for every ISA; gemm for every one but scalar.
  CHECK(elementwise_kernels().isa == kernel_isa());
  CHECK(attention_kernels().isa == kernel_isa());
  const GemmKernels* gemm = gemm_kernels_for(kernel_isa());
  if (kernel_isa() == Isa::scalar)
    CHECK(gemm == nullptr);
  else
    CHECK((gemm != nullptr && gemm->isa == kernel_isa()));
}

TEST_CASE("dispatch: select_isa takes a supported SYN_ISA, the widest by default, and refuses the rest") {
  for (Isa isa : kIsas) {
    if (cpu_supports(isa))
      CHECK(select_isa(isa_name(isa)) == isa);
    else
      CHECK_THROWS_AS(select_isa(isa_name(isa)), ValueError);
  }
  CHECK(select_isa(nullptr) == best_isa());
  CHECK(select_isa("") == best_isa());
  CHECK_THROWS_AS(select_isa("avx9000"), ValueError);
  CHECK_THROWS_AS(select_isa("AVX2"), ValueError);
}

TEST_CASE("dispatch: an ISA needs every feature its files are compiled for") {
  using F = CpuFeature;
  const std::vector<F> avx2 = {F::sse2, F::avx2, F::fma, F::bmi2};
  const std::vector<F> avx512 = {F::sse2,     F::avx2,     F::fma,      F::bmi2,    F::avx512f,
                                 F::avx512bw, F::avx512dq, F::avx512vl, F::avx512cd};
  CHECK(isa_features(Isa::scalar).empty());
  CHECK(isa_features(Isa::sse2) == std::vector<F>{F::sse2});
  CHECK(isa_features(Isa::avx2) == avx2);
  CHECK(isa_features(Isa::avx512) == avx512);
  for (Isa isa : kIsas) CHECK(missing_features(isa, avx512).empty());
  CHECK(missing_features(Isa::scalar, {}).empty());
  // Without any one feature, every ISA that lists it is refused, and only that feature is missing.
  for (F gone : avx512) {
    std::vector<F> cpu;
    std::copy_if(avx512.begin(), avx512.end(), std::back_inserter(cpu), [&](F f) { return f != gone; });
    for (Isa isa : kIsas) {
      const std::vector<F> listed = isa_features(isa);
      const bool needs = std::find(listed.begin(), listed.end(), gone) != listed.end();
      CHECK_MESSAGE(missing_features(isa, cpu) == (needs ? std::vector<F>{gone} : std::vector<F>{}),
                    isa_name(isa), " without ", feature_name(gone));
    }
  }
  // This CPU: cpu_supports is the same decision on its own features.
  for (Isa isa : kIsas) CHECK(cpu_supports(isa) == missing_features(isa, cpu_features()).empty());
}

TEST_CASE("dispatch: a family without a table for an ISA gets the next narrower one") {
  constexpr KernelRegistry<Dummy> registry{{dummy_scalar, nullptr, dummy_avx2, nullptr}};
  CHECK(registry.kernels_for(Isa::scalar) == &dummy_scalar());
  CHECK(registry.kernels_for(Isa::sse2) == &dummy_scalar());
  for (Isa isa : {Isa::avx2, Isa::avx512}) {
    if (cpu_supports(isa))
      CHECK(registry.kernels_for(isa) == &dummy_avx2());
    else
      CHECK(registry.kernels_for(isa) == nullptr);
  }
  constexpr KernelRegistry<Dummy> no_scalar{{nullptr, nullptr, dummy_avx2, nullptr}};
  CHECK(no_scalar.kernels_for(Isa::scalar) == nullptr);
  CHECK(no_scalar.kernels_for(Isa::sse2) == nullptr);
}
