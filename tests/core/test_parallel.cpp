#include <doctest/doctest.h>

#include <vector>

#include "synapse/core/cpu_features.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"

using namespace syn;

TEST_CASE("parallel_for covers every index exactly once, for any grain and thread count") {
  for (int threads : {1, 2, 3}) {
    set_num_threads(threads);
    for (int64_t n : {0, 1, 7, 1000, 4097}) {
      for (int64_t grain : {1, 5, 100000}) {
        std::vector<int> hits(static_cast<size_t>(n), 0);
        parallel_for(n, grain, [&](int64_t b, int64_t e) {
          CHECK(b < e);
          for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)]++;
        });
        for (int h : hits) CHECK(h == 1);
      }
    }
  }
  set_num_threads(2);
}

TEST_CASE("cpu features: scalar is always supported, names round-trip, bad names are rejected") {
  CHECK(cpu_supports(Isa::scalar));
  CHECK(supported_isas().front() == Isa::scalar);
  CHECK(cpu_supports(best_isa()));
  for (Isa isa : {Isa::scalar, Isa::sse2, Isa::avx2, Isa::avx512}) CHECK(parse_isa(isa_name(isa)) == isa);
  CHECK_THROWS_WITH_AS(parse_isa("avx3"), doctest::Contains("SYN_ISA"), ValueError);
}
