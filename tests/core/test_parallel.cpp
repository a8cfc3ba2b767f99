#include <doctest/doctest.h>

#include <atomic>
#include <new>
#include <string>
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

TEST_CASE("parallel_for: an exception in a body reaches the caller as thrown, every chunk joined") {
  set_num_threads(2);
  GrainOverride grain(1);
  for (int64_t failing : {0, 1}) {  // the first or the last of two chunks throws
    std::atomic<int> running{0};
    std::vector<float> result;  // published only when parallel_for returns
    auto compute = [&] {
      std::vector<float> out(64, 0.f);
      parallel_for(64, 1, [&](int64_t b, int64_t e) {
        running.fetch_add(1);
        for (int64_t i = b; i < e; ++i) out[static_cast<size_t>(i)] = 1.f;
        running.fetch_sub(1);
        if ((b == 0) == (failing == 0)) throw ShapeError("chunk starting at " + std::to_string(b));
      });
      result = std::move(out);
    };
    CHECK_THROWS_WITH_AS(compute(), doctest::Contains("chunk starting at"), ShapeError);
    CHECK(running.load() == 0);  // no body still running after the throw reached us
    CHECK(result.empty());       // nothing published
  }
  // The thread pool is intact afterwards.
  std::atomic<int64_t> sum{0};
  parallel_for(1000, 1, [&](int64_t b, int64_t e) { sum.fetch_add(e - b); });
  CHECK(sum.load() == 1000);
}

TEST_CASE("parallel_for: a non-syn exception keeps its type, and one chunk alone rethrows too") {
  set_num_threads(2);
  GrainOverride grain(1);
  CHECK_THROWS_AS(parallel_for(8, 1, [](int64_t, int64_t) { throw std::bad_alloc(); }), std::bad_alloc);
  CHECK_THROWS_WITH_AS(parallel_for(1, 1, [](int64_t, int64_t) { throw ValueError("serial"); }), "serial",
                       ValueError);
}
