// The Adam step kernel (ElementwiseKernels::adam) on every vectorised instruction set against the scalar
// reference, bitwise: every option, tails, ranges that start anywhere, NaN and infinite gradients.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

using namespace syn;
using kernels::AdamStep;
using kernels::ElementwiseKernels;

namespace {

// Parameter, moments and amsgrad maximum of n entries (v and v_max non-negative, as a step leaves them).
struct AdamArrays {
  std::vector<float> p, m, v, v_max;
  AdamArrays(int64_t n, Generator& gen) {
    for (int64_t i = 0; i < n; ++i) {
      p.push_back(gen.normal());
      m.push_back(0.1f * gen.normal());
      v.push_back(0.01f * gen.uniform());
      v_max.push_back(0.02f * gen.uniform());
    }
  }
  // One step over [b, e) with `table`.
  void step(const ElementwiseKernels& table, const AdamStep& s, const std::vector<float>& g, bool amsgrad,
            int64_t b, int64_t e) {
    table.adam(s, g.data() + b, p.data() + b, m.data() + b, v.data() + b, amsgrad ? v_max.data() + b : nullptr,
               e - b);
  }
};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (std::bit_cast<uint32_t>(a[i]) != std::bit_cast<uint32_t>(b[i]) && !(std::isnan(a[i]) && std::isnan(b[i])))
      return false;
  return a.size() == b.size();
}

AdamStep step_constants(bool l2, bool decoupled, int64_t t) {
  const double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, wd = 1e-2;
  return {.beta1 = static_cast<float>(beta1),
          .one_minus_beta1 = static_cast<float>(1 - beta1),
          .beta2 = static_cast<float>(beta2),
          .one_minus_beta2 = static_cast<float>(1 - beta2),
          .neg_step_size = static_cast<float>(-lr / (1 - std::pow(beta1, t))),
          .bc2_sqrt = static_cast<float>(std::sqrt(1 - std::pow(beta2, t))),
          .eps = 1e-8f,
          .wd = static_cast<float>(wd),
          .decay = static_cast<float>(1 - lr * wd),
          .l2 = l2,
          .decoupled = decoupled};
}

}  // namespace

TEST_CASE("adam kernel: every ISA matches the scalar reference bitwise, any option, tails and range starts") {
  const ElementwiseKernels& ref = *kernels::elementwise_kernels_for(Isa::scalar);
  int tables = 0;
  for (Isa isa : supported_isas()) {
    if (isa == Isa::scalar) continue;
    const ElementwiseKernels& table = *kernels::elementwise_kernels_for(isa);
    ++tables;
    for (int64_t n : {1, 15, 16, 17, 64, 1000 + 7})
      for (int option = 0; option < 5; ++option) {
        const bool l2 = option == 1 || option == 4, decoupled = option == 2, amsgrad = option >= 3;
        Generator gen(static_cast<uint64_t>(n * 10 + option));
        std::vector<float> g;
        for (int64_t i = 0; i < n; ++i) g.push_back(gen.normal());
        g[0] = n > 1 ? std::numeric_limits<float>::quiet_NaN() : g[0];
        if (n > 5) g[5] = std::numeric_limits<float>::infinity();
        const AdamArrays start(n, gen);
        AdamArrays want = start, got = start, split = start;
        for (int64_t t = 1; t <= 3; ++t) {  // later steps see the NaN and inf the first one wrote
          const AdamStep s = step_constants(l2, decoupled, t);
          want.step(ref, s, g, amsgrad, 0, n);
          got.step(table, s, g, amsgrad, 0, n);
          split.step(table, s, g, amsgrad, 0, n / 3);  // Note [Kernel contract]: no dependence on the start
          split.step(table, s, g, amsgrad, n / 3, n);
        }
        const std::string what = std::string(isa_name(isa)) + " n=" + std::to_string(n) + " option " +
                                 std::to_string(option);
        for (const AdamArrays* a : {&got, &split}) {
          CHECK_MESSAGE(same_bits(want.p, a->p), what);
          CHECK_MESSAGE(same_bits(want.m, a->m), what);
          CHECK_MESSAGE(same_bits(want.v, a->v), what);
          CHECK_MESSAGE(same_bits(want.v_max, a->v_max), what);
        }
        CHECK_MESSAGE(want.p.back() != start.p.back(), what);  // the steps did something
      }
  }
  CHECK(tables >= 1);  // every x86-64 CPU runs sse2
}
