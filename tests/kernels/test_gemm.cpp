// gemm against the double-precision reference on every instruction set this CPU runs: shapes with
// tails on every side (1, odd, past the register tile and the cache blocks), all four transposition
// cases, alpha/beta, padded leading dimensions, both packing paths, IEEE special values, and
// bitwise determinism across thread counts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/ops/kernels/gemm.hpp"

using namespace syn;
using kernels::Trans;

namespace {

constexpr float kSentinel = 12345.f;  // fills padding that gemm must not touch

struct Case {
  Trans ta = Trans::no, tb = Trans::no;
  int64_t m = 1, n = 1, k = 1;
  int64_t pad_a = 0, pad_b = 0, pad_c = 0;  // extra elements per stored row
  float alpha = 1.f, beta = 0.f;
};

std::string describe(const Case& c, Isa isa) {
  return std::string(isa_name(isa)) + " " + (c.ta == Trans::yes ? "T" : "N") +
         (c.tb == Trans::yes ? "T" : "N") + " m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) +
         " k=" + std::to_string(c.k) + " pads=" + std::to_string(c.pad_a) + "," + std::to_string(c.pad_b) +
         "," + std::to_string(c.pad_c) + " alpha=" + std::to_string(c.alpha) +
         " beta=" + std::to_string(c.beta);
}

struct Operands {
  int64_t lda, ldb, ldc;
  std::vector<float> a, b, c;
};

// A stored (m, lda) or, transposed, (k, lda); B stored (k, ldb) or (n, ldb); C (m, ldc). Padding
// holds the sentinel.
Operands make(const Case& c, uint64_t seed) {
  Generator gen(seed, 3);
  Operands o;
  const int64_t a_rows = c.ta == Trans::yes ? c.k : c.m, a_cols = c.ta == Trans::yes ? c.m : c.k;
  const int64_t b_rows = c.tb == Trans::yes ? c.n : c.k, b_cols = c.tb == Trans::yes ? c.k : c.n;
  o.lda = a_cols + c.pad_a;
  o.ldb = b_cols + c.pad_b;
  o.ldc = c.n + c.pad_c;
  auto fill = [&](std::vector<float>& v, int64_t rows, int64_t cols, int64_t ld) {
    v.assign(static_cast<size_t>(rows * ld), kSentinel);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t q = 0; q < cols; ++q) v[static_cast<size_t>(r * ld + q)] = 2.f * gen.uniform() - 1.f;
  };
  fill(o.a, a_rows, a_cols, o.lda);
  fill(o.b, b_rows, b_cols, o.ldb);
  fill(o.c, c.m, c.n, o.ldc);
  return o;
}

// Error bound of a float dot product of length k plus the alpha/beta update, relative to the sum of
// magnitudes: |fl(x) - x| <= gamma_{k+2} * (|alpha| sum|a||b| + |beta c|), gamma_j = j*u/(1-j*u).
double bound(const Case& c, const Operands& o, int64_t i, int64_t j, float c0) {
  double mag = 0;
  for (int64_t p = 0; p < c.k; ++p) {
    const float av = c.ta == Trans::yes ? o.a[static_cast<size_t>(p * o.lda + i)]
                                        : o.a[static_cast<size_t>(i * o.lda + p)];
    const float bv = c.tb == Trans::yes ? o.b[static_cast<size_t>(j * o.ldb + p)]
                                        : o.b[static_cast<size_t>(p * o.ldb + j)];
    mag += std::fabs(static_cast<double>(av) * bv);
  }
  const double u = std::ldexp(1.0, -24), steps = static_cast<double>(c.k + 2);
  return steps * u / (1 - steps * u) *
             (std::fabs(c.alpha) * mag + std::fabs(static_cast<double>(c.beta) * c0)) +
         std::numeric_limits<float>::denorm_min();
}

void check_case(const Case& c, Isa isa, uint64_t seed) {
  Operands o = make(c, seed);
  std::vector<float> ref = o.c;
  kernels::gemm_reference(c.ta, c.tb, c.m, c.n, c.k, c.alpha, o.a.data(), o.lda, o.b.data(), o.ldb, c.beta,
                          ref.data(), o.ldc);
  std::vector<float> got = o.c;
  kernels::gemm_isa(isa, c.ta, c.tb, c.m, c.n, c.k, c.alpha, o.a.data(), o.lda, o.b.data(), o.ldb, c.beta,
                    got.data(), o.ldc);
  int64_t bad = 0;
  for (int64_t i = 0; i < c.m; ++i) {
    for (int64_t j = 0; j < o.ldc; ++j) {
      const size_t at = static_cast<size_t>(i * o.ldc + j);
      if (j >= c.n) {
        if (got[at] != kSentinel && bad++ < 3)
          FAIL_CHECK(describe(c, isa) << ": wrote padding at " << i << "," << j);
        continue;
      }
      const double err = std::fabs(static_cast<double>(got[at]) - ref[at]);
      if (!(err <= bound(c, o, i, j, o.c[at])) && bad++ < 3)
        FAIL_CHECK(describe(c, isa) << ": C[" << i << "," << j << "] = " << got[at] << ", reference "
                                    << ref[at]);
    }
  }
  CHECK_MESSAGE(bad == 0, describe(c, isa) << ": " << bad << " wrong elements");
}

const Trans kBoth[] = {Trans::no, Trans::yes};

}  // namespace

TEST_CASE("gemm: matches the reference for every ISA, transposition, tail and alpha/beta") {
  // Sizes around the register tiles (4/6/8 rows, 8/16/32 columns) and past the depth block (256).
  const int64_t sizes[][3] = {{1, 1, 1},   {1, 37, 5},   {7, 1, 3},    {3, 5, 1},    {8, 32, 16},
                              {9, 33, 17}, {13, 47, 29}, {31, 17, 64}, {64, 64, 65}, {50, 70, 300}};
  const float alphas[] = {1.f, -0.75f};
  const float betas[] = {0.f, 1.f, 0.5f};
  uint64_t seed = 1;
  for (Isa isa : supported_isas())
    for (Trans ta : kBoth)
      for (Trans tb : kBoth)
        for (const auto& s : sizes)
          for (float alpha : alphas)
            for (float beta : betas)
              check_case({ta, tb, s[0], s[1], s[2], 0, 0, 0, alpha, beta}, isa, ++seed);
}

TEST_CASE("gemm: padded leading dimensions and both packing paths of each operand") {
  // Small m reads B in place; m past 16 row strips packs it. n past 4 column strips with Aᵀ or a
  // row stride of a multiple of 4 KiB (one L1 way) packs A; otherwise A is read in place. k past 256 splits
  // the depth; m past the row block and n past the column block exercise the outer loops.
  std::vector<Case> cases;
  for (Trans ta : kBoth)
    for (Trans tb : kBoth) {
      cases.push_back({ta, tb, 5, 21, 19, 3, 5, 7, 1.f, 0.f});
      cases.push_back({ta, tb, 300, 150, 40, 1, 2, 3, 0.5f, 1.f});
      cases.push_back({ta, tb, 40, 200, 30, 1024 - 30, 0, 0, 1.f, 0.f});  // A's rows 1024 floats apart
      cases.push_back({ta, tb, 40, 200, 30, 512 - 30, 0, 0, 1.f, 0.f});   // 512 floats apart
      cases.push_back({ta, tb, 200, 200, 513, 0, 1, 0, 1.f, -1.f});
      cases.push_back({ta, tb, 3, 2100, 7, 0, 0, 0, 2.f, 0.f});
    }
  uint64_t seed = 100;
  for (Isa isa : supported_isas())
    for (const Case& c : cases) check_case(c, isa, ++seed);
}

TEST_CASE("gemm: k = 0 scales C by beta, m = 0 or n = 0 touches nothing") {
  for (Isa isa : supported_isas()) {
    std::vector<float> c = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
    const float dummy = 0.f;
    kernels::gemm_isa(isa, Trans::no, Trans::no, 2, 3, 0, 1.f, &dummy, 1, &dummy, 3, 0.5f, c.data(), 3);
    CHECK(c == std::vector<float>{0.5f, 1.f, 1.5f, 2.f, 2.5f, 3.f});
    kernels::gemm_isa(isa, Trans::no, Trans::no, 2, 3, 0, 1.f, &dummy, 1, &dummy, 3, 0.f, c.data(), 3);
    CHECK(c == std::vector<float>(6, 0.f));
    c.assign(6, 7.f);
    kernels::gemm_isa(isa, Trans::no, Trans::no, 0, 3, 4, 1.f, &dummy, 4, &dummy, 3, 0.f, c.data(), 3);
    kernels::gemm_isa(isa, Trans::no, Trans::no, 2, 0, 4, 1.f, &dummy, 4, &dummy, 3, 0.f, c.data(), 3);
    CHECK(c == std::vector<float>(6, 7.f));
  }
}

TEST_CASE("gemm: NaN and Inf propagate and beta = 0 never reads C") {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (Isa isa : supported_isas()) {
    for (Trans ta : kBoth) {
      for (Trans tb : kBoth) {
        const int64_t m = 19, n = 37, k = 11;
        Case c{ta, tb, m, n, k, 0, 0, 0, 1.f, 0.f};
        Operands o = make(c, 7);
        auto a_at = [&](int64_t i, int64_t p) -> float& {
          return o.a[static_cast<size_t>(ta == Trans::yes ? p * o.lda + i : i * o.lda + p)];
        };
        auto b_at = [&](int64_t p, int64_t j) -> float& {
          return o.b[static_cast<size_t>(tb == Trans::yes ? j * o.ldb + p : p * o.ldb + j)];
        };
        for (int64_t p = 0; p < k; ++p) b_at(p, 30) = std::fabs(b_at(p, 30)) + 0.25f;  // column 30 > 0
        a_at(3, 4) = nan;                        // row 3 of C becomes NaN
        a_at(9, 0) = inf;                        // row 9: +-Inf where B[0, j] != 0, NaN where 0
        b_at(2, 20) = nan;                       // column 20 becomes NaN
        b_at(0, 5) = 0.f;                        // Inf * 0 = NaN at (9, 5)
        std::fill(o.c.begin(), o.c.end(), nan);  // beta = 0: must not leak
        kernels::gemm_isa(isa, ta, tb, m, n, k, 1.f, o.a.data(), o.lda, o.b.data(), o.ldb, 0.f, o.c.data(),
                          o.ldc);
        const std::string what = describe(c, isa);
        for (int64_t i = 0; i < m; ++i) {
          for (int64_t j = 0; j < n; ++j) {
            const float v = o.c[static_cast<size_t>(i * o.ldc + j)];
            if (i == 3 || j == 20 || (i == 9 && j == 5)) {
              CHECK_MESSAGE(std::isnan(v), what << " at " << i << "," << j);
            } else if (i == 9) {
              CHECK_MESSAGE(std::isinf(v), what << " at " << i << "," << j);
            } else {
              CHECK_MESSAGE(std::isfinite(v), what << " at " << i << "," << j);
            }
          }
        }
        CHECK(o.c[static_cast<size_t>(9 * o.ldc + 30)] == inf);
      }
    }
  }
}

TEST_CASE("gemm: 1 and 2 threads give bitwise-identical C on every ISA") {
  const int previous = num_threads();
  for (Isa isa : supported_isas()) {
    for (Trans ta : kBoth) {
      for (Trans tb : kBoth) {
        // Large enough to be split between threads (by rows, then by columns), k over two blocks.
        for (const Case& c : {Case{ta, tb, 301, 67, 300, 0, 0, 0, 1.f, 0.5f}, Case{ta, tb, 45, 403, 260}}) {
          Operands o = make(c, 11);
          std::vector<std::vector<float>> out;
          for (int threads : {1, 2}) {
            set_num_threads(threads);
            std::vector<float> got = o.c;
            kernels::gemm_isa(isa, ta, tb, c.m, c.n, c.k, c.alpha, o.a.data(), o.lda, o.b.data(), o.ldb,
                              c.beta, got.data(), o.ldc);
            out.push_back(got);
          }
          CHECK_MESSAGE(std::memcmp(out[0].data(), out[1].data(), out[0].size() * sizeof(float)) == 0,
                        describe(c, isa));
        }
      }
    }
  }
  set_num_threads(previous);
}

TEST_CASE("gemm: the default entry point agrees with the ISA it dispatches to") {
  const Case c{Trans::no, Trans::yes, 33, 65, 70, 0, 0, 0, 1.f, 0.f};
  Operands o = make(c, 5);
  std::vector<float> dflt = o.c, best = o.c;
  kernels::gemm(c.ta, c.tb, c.m, c.n, c.k, 1.f, o.a.data(), o.lda, o.b.data(), o.ldb, 0.f, dflt.data(),
                o.ldc);
  kernels::gemm_isa(best_isa(), c.ta, c.tb, c.m, c.n, c.k, 1.f, o.a.data(), o.lda, o.b.data(), o.ldb, 0.f,
                    best.data(), o.ldc);
  const char* forced = std::getenv("SYN_ISA");
  if (forced == nullptr || *forced == 0) CHECK(dflt == best);
  check_case(c, best_isa(), 5);
}

TEST_CASE("gemm: a one-column product dyᵀ·x equals the one-row product xᵀ·dy bit for bit on every ISA") {
  // The recurrent weight gradient of a one-feature input takes the row form (ops/recurrent.cpp).
  for (Isa isa : supported_isas())
    for (int64_t rows : {7, 448, 3001}) {  // 3001: more than one depth block
      const int64_t m = 256;
      Generator gen(rows, 4);
      std::vector<float> dy, x, start;
      for (int64_t i = 0; i < rows * m; ++i) dy.push_back(gen.normal());
      for (int64_t i = 0; i < rows; ++i) x.push_back(gen.normal());
      for (int64_t i = 0; i < m; ++i) start.push_back(gen.normal());
      std::vector<float> column = start, row = start;
      kernels::gemm_isa(isa, Trans::yes, Trans::no, m, 1, rows, 1.f, dy.data(), m, x.data(), 1, 1.f, column.data(), 1);
      kernels::gemm_isa(isa, Trans::yes, Trans::no, 1, m, rows, 1.f, x.data(), 1, dy.data(), m, 1.f, row.data(), m);
      CHECK_MESSAGE(std::memcmp(column.data(), row.data(), sizeof(float) * m) == 0, isa_name(isa), " rows=", rows);
      CHECK(column != start);
    }
}

TEST_CASE("gemm: row and column blocks of any size give bitwise-identical C on every ISA") {
  // Note [GEMM blocking]: only kc fixes the order of summation; mc and nc follow the caches.
  for (Isa isa : supported_isas()) {
    for (Trans ta : kBoth) {
      for (Trans tb : kBoth) {
        for (const Case& c : {Case{ta, tb, 301, 67, 300, 1, 0, 2, 1.f, 1.f}, Case{ta, tb, 45, 403, 260},
                              Case{ta, tb, 7, 97, 513, 0, 3, 0, -0.5f, 0.f}, Case{ta, tb, 130, 130, 31}}) {
          Operands o = make(c, 13);
          std::vector<float> expected = o.c;
          kernels::gemm_isa(isa, ta, tb, c.m, c.n, c.k, c.alpha, o.a.data(), o.lda, o.b.data(), o.ldb, c.beta,
                            expected.data(), o.ldc);
          for (const auto& [mc, nc] : {std::pair<int64_t, int64_t>{1, 1}, {20, 50}, {100, 1000}, {4096, 8192}}) {
            const kernels::GemmBlockingOverride blocks(mc, nc);
            std::vector<float> got = o.c;
            kernels::gemm_isa(isa, ta, tb, c.m, c.n, c.k, c.alpha, o.a.data(), o.lda, o.b.data(), o.ldb,
                              c.beta, got.data(), o.ldc);
            CHECK_MESSAGE(std::memcmp(expected.data(), got.data(), got.size() * sizeof(float)) == 0,
                          describe(c, isa) << " mc=" << mc << " nc=" << nc);
          }
        }
      }
    }
  }
}

TEST_CASE("gemm: cache blocks follow the caches in whole tiles, the depth block does not") {
  for (Isa isa : supported_isas()) {
    const kernels::GemmBlocking here = kernels::gemm_blocking(isa);
    if (isa == Isa::scalar) {
      CHECK(here.kc == 0);
      continue;
    }
    CHECK(here.kc == 256);
    CHECK(here.mc > 0);
    CHECK(here.nc > 0);
    const kernels::GemmBlocking small = kernels::gemm_blocking(isa, CacheSizes{32 << 10, 1 << 20, 32 << 20});
    const kernels::GemmBlocking big = kernels::gemm_blocking(isa, CacheSizes{48 << 10, 2 << 20, 2 << 20});
    const kernels::GemmBlocking tiny = kernels::gemm_blocking(isa, CacheSizes{1 << 10, 1 << 10, 1 << 10});
    const kernels::GemmBlocking huge = kernels::gemm_blocking(isa, CacheSizes{1 << 30, 1 << 30, 1 << 30});
    CHECK(small.kc == here.kc);
    CHECK(big.kc == here.kc);
    CHECK(big.mc > small.mc);
    CHECK(big.nc > small.nc);
    // Clamped below to 4 row and 4 column tiles (which gives the tile), and above (then rounded up).
    const int64_t mr = tiny.mc / 4, nr = tiny.nc / 4;
    CHECK(mr * 4 == tiny.mc);
    CHECK(nr * 4 == tiny.nc);
    CHECK(huge.mc < 2048 + mr);
    CHECK(huge.nc < 8192 + nr);
    // 2 MiB of L2: a B panel of 1024 columns (half of L2), rounded up to whole tiles.
    CHECK(big.nc >= 1024);
    CHECK(big.nc < 1024 + nr);
    for (const kernels::GemmBlocking& b : {here, small, big, huge}) {
      CHECK(b.mc % mr == 0);
      CHECK(b.nc % nr == 0);
    }
  }
}
