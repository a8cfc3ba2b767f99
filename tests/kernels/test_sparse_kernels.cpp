// The vectorised sparse kernels against the scalar reference on every instruction set this CPU runs
// (Note [Sparse products]): densities 0 to 1 with empty rows, batch sizes around the vector widths,
// unaligned pointers, row strides wider than the rows, accumulation, dead positions of the weight
// gradient untouched, and results independent of how the output rows are split; the block kernels
// the same way for every shape of kBlockShapes.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/ops/kernels/sparse_kernels.hpp"

using namespace syn;
using namespace syn::kernels;

namespace {

std::vector<const SparseKernels*> vector_tables() {
  std::vector<const SparseKernels*> out;
  for (Isa isa : supported_isas())
    if (const SparseKernels* t = sparse_kernels_for(isa); t && isa != Isa::scalar) out.push_back(t);
  return out;
}

std::vector<float> random_vector(int64_t n, Generator& gen) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = 2.f * gen.uniform() - 1.f;
  return v;
}

// A random (rows, cols) pattern in compressed rows, each entry live with probability `density`;
// every third row is empty whatever the density.
struct Csr {
  int64_t rows, cols;
  std::vector<int32_t> ptr, idx;
  std::vector<float> val;
};

Csr random_csr(int64_t rows, int64_t cols, float density, Generator& gen) {
  Csr c{rows, cols, {0}, {}, {}};
  for (int64_t m = 0; m < rows; ++m) {
    for (int64_t k = 0; k < cols; ++k)
      if (m % 3 != 1 && gen.uniform() < density) {
        c.idx.push_back(static_cast<int32_t>(k));
        c.val.push_back(2.f * gen.uniform() - 1.f);
      }
    c.ptr.push_back(static_cast<int32_t>(c.idx.size()));
  }
  return c;
}

// A random block pattern of (rows·br, cols·bc) in block compressed rows, each block live with
// probability `density`; every third block row is empty whatever the density.
Csr random_bsr(int64_t rows, int64_t cols, BlockShape shape, float density, Generator& gen) {
  Csr c = random_csr(rows, cols, density, gen);
  c.val.clear();
  for (size_t v = 0; v < c.idx.size() * static_cast<size_t>(shape.rows * shape.cols); ++v)
    c.val.push_back(2.f * gen.uniform() - 1.f);
  return c;
}

// The element kernels (1 × 1: spmm, sddmm) and the block kernels of every shape of kBlockShapes.
const std::vector<BlockShape> kShapesOfBlocks = {{1, 1}, {4, 4}, {4, 1}, {1, 4}};

// spmm (shape 1 × 1) or bspmm over (block) rows [b0, b1) of w.
void run_spmm(const SparseKernels& k, BlockShape shape, int64_t b0, int64_t b1, int64_t n, const Csr& w,
              const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  if (shape.rows * shape.cols == 1)
    k.spmm(b0, b1, n, w.ptr.data(), w.idx.data(), w.val.data(), xt, ldx, yt, ldy, accumulate);
  else
    k.bspmm(b0, b1, shape.rows, shape.cols, n, w.ptr.data(), w.idx.data(), w.val.data(), xt, ldx, yt, ldy,
            accumulate);
}

// sddmm (shape 1 × 1) or bsddmm over all (block) rows of `mask`.
void run_sddmm(const SparseKernels& k, BlockShape shape, int64_t rows, int64_t n, const Csr& mask, const float* at,
               int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  if (shape.rows * shape.cols == 1)
    k.sddmm(0, rows, n, mask.ptr.data(), mask.idx.data(), at, lda, bt, ldb, w, ldw);
  else
    k.bsddmm(0, rows, shape.rows, shape.cols, n, mask.ptr.data(), mask.idx.data(), at, lda, bt, ldb, w, ldw);
}

// w's sliced ELL form (Note [Mask index views]), built by the library from w's pattern, with w's values
// (0 in padding).
struct Ell {
  std::shared_ptr<const Mask> mask;
  const MaskIndex* ix;
  std::vector<float> val;
};

Ell ell_of(const Csr& w) {
  std::vector<uint8_t> live(static_cast<size_t>(w.rows * w.cols), 0);
  for (int64_t m = 0; m < w.rows; ++m)
    for (int32_t p = w.ptr[m]; p < w.ptr[m + 1]; ++p) live[static_cast<size_t>(m * w.cols + w.idx[p])] = 1;
  Ell e{std::make_shared<const Mask>(live), nullptr, {}};
  e.ix = &e.mask->index(w.rows, w.cols);
  for (int32_t pos : e.ix->ell_pos) e.val.push_back(pos < 0 ? 0.f : w.val[static_cast<size_t>(pos)]);
  return e;
}

void run_spmv(const SparseKernels& k, const Ell& e, int64_t s0, int64_t s1, const float* x, float* y, bool accumulate) {
  k.spmv(s0, s1, e.ix->rows, e.ix->cols, e.ix->ell_ptr.data(), e.ix->ell_col.data(), e.val.data(), x, y, accumulate);
}

// The rounding bound of two evaluations of the same sum of `terms` terms in different orders, with
// or without fused multiply-adds: each is within γ(terms + 1)·Σ|terms| of the exact sum.
double rounding_bound(int64_t terms, double magnitude) {
  return 2.0 * static_cast<double>(terms + 2) * std::ldexp(1.0, -24) * magnitude;
}

const float kSentinel = 1234.5f;
const std::vector<float> kDensities = {0.f, 0.05f, 0.5f, 1.f};
// The batch sizes around the vector widths, and 300 (past one sddmm tile of 256).
const std::vector<int64_t> kBatches = {1, 3, 15, 16, 17, 63, 64, 65, 200, 300};
// (M, K): fewer rows than one vector, and rows longer than one vector of live entries.
const std::vector<std::pair<int64_t, int64_t>> kShapes = {{5, 3}, {37, 29}};

}  // namespace

TEST_CASE("sparse kernels: scalar is always there and the active table runs on this CPU") {
  CHECK(sparse_kernels_for(Isa::scalar) == sparse_kernels_for(Isa::scalar));
  CHECK(cpu_supports(sparse_kernels().isa));
  CHECK(sparse_kernels_for(sparse_kernels().isa) == &sparse_kernels());
  for (Isa isa : supported_isas()) CHECK(sparse_kernels_for(isa) != nullptr);
}

TEST_CASE("sparse kernels: spmm and bspmm match the scalar reference within their rounding bound") {
  Generator gen(16);
  const SparseKernels& ref = (*sparse_kernels_for(Isa::scalar));
  for (const SparseKernels* kt : vector_tables())
    for (const BlockShape shape : kShapesOfBlocks)
      for (auto [rows, cols] : kShapes)  // in blocks
        for (float density : kDensities)
          for (int64_t n : kBatches)
            for (bool accumulate : {false, true}) {
              CAPTURE(std::string(isa_name(kt->isa)));
              CAPTURE(shape.rows);
              CAPTURE(shape.cols);
              CAPTURE(rows);
              CAPTURE(density);
              CAPTURE(n);
              CAPTURE(accumulate);
              const int64_t br = shape.rows, bc = shape.cols, m = rows * br, k = cols * bc;
              const Csr w = random_bsr(rows, cols, shape, density, gen);
              const int64_t ldx = n + 3, ldy = n + 5;
              const std::vector<float> xbuf = random_vector(1 + k * ldx, gen);
              std::vector<float> y0 = random_vector(1 + m * ldy, gen);
              for (int64_t r = 0; r < m; ++r)
                for (int64_t j = n; j < ldy; ++j) y0[1 + r * ldy + j] = kSentinel;
              // Block rows [1, rows - 1): the first and last stay as they were.
              const int64_t b0 = std::min<int64_t>(1, rows), b1 = std::max<int64_t>(b0, rows - 1);
              std::vector<float> y = y0, expected = y0;
              run_spmm(*kt, shape, b0, b1, n, w, xbuf.data() + 1, ldx, y.data() + 1, ldy, accumulate);
              run_spmm(ref, shape, b0, b1, n, w, xbuf.data() + 1, ldx, expected.data() + 1, ldy, accumulate);
              for (int64_t r = 0; r < m; ++r) {
                const int64_t b = r / br;
                for (int64_t j = 0; j < n; ++j) {
                  const int64_t at = 1 + r * ldy + j;
                  if (b < b0 || b >= b1) {
                    CHECK(y[at] == y0[at]);
                    continue;
                  }
                  double mag = accumulate ? std::fabs(y0[at]) : 0.0;
                  for (int32_t p = w.ptr[b]; p < w.ptr[b + 1]; ++p)
                    for (int64_t c = 0; c < bc; ++c)
                      mag += std::fabs(static_cast<double>(w.val[(p * br + r % br) * bc + c]) *
                                       xbuf[1 + (w.idx[p] * bc + c) * ldx + j]);
                  CHECK(std::fabs(y[at] - expected[at]) <= rounding_bound((w.ptr[b + 1] - w.ptr[b]) * bc, mag));
                }
                for (int64_t j = n; j < ldy; ++j) CHECK(y[1 + r * ldy + j] == kSentinel);
              }
              CHECK(y[0] == y0[0]);
            }
}

TEST_CASE("sparse kernels: sddmm and bsddmm match the scalar reference at live positions and leave the rest alone") {
  Generator gen(17);
  const SparseKernels& ref = (*sparse_kernels_for(Isa::scalar));
  for (const SparseKernels* kt : vector_tables())
    for (const BlockShape shape : kShapesOfBlocks)
      for (auto [rows, cols] : kShapes)
        for (float density : kDensities)
          for (int64_t n : kBatches) {
            CAPTURE(std::string(isa_name(kt->isa)));
            CAPTURE(shape.rows);
            CAPTURE(shape.cols);
            CAPTURE(rows);
            CAPTURE(density);
            CAPTURE(n);
            const int64_t br = shape.rows, bc = shape.cols, m = rows * br, k = cols * bc;
            const Csr mask = random_bsr(rows, cols, shape, density, gen);
            const int64_t lda = n + 1, ldb = n + 7, ldw = k + 2;
            const std::vector<float> at = random_vector(1 + m * lda, gen), bt = random_vector(1 + k * ldb, gen);
            std::vector<float> w0(1 + m * ldw, kSentinel);
            for (int64_t b = 0; b < rows; ++b)
              for (int32_t p = mask.ptr[b]; p < mask.ptr[b + 1]; ++p)
                for (int64_t r = 0; r < br; ++r)
                  for (int64_t c = 0; c < bc; ++c) w0[1 + (b * br + r) * ldw + mask.idx[p] * bc + c] = gen.uniform();
            std::vector<float> w = w0, expected = w0;
            run_sddmm(*kt, shape, rows, n, mask, at.data() + 1, lda, bt.data() + 1, ldb, w.data() + 1, ldw);
            run_sddmm(ref, shape, rows, n, mask, at.data() + 1, lda, bt.data() + 1, ldb, expected.data() + 1, ldw);
            for (int64_t b = 0; b < rows; ++b)
              for (int32_t p = mask.ptr[b]; p < mask.ptr[b + 1]; ++p)
                for (int64_t r = b * br; r < (b + 1) * br; ++r)
                  for (int64_t c = mask.idx[p] * bc; c < (mask.idx[p] + 1) * bc; ++c) {
                    const int64_t pos = 1 + r * ldw + c;
                    double mag = std::fabs(w0[pos]);
                    for (int64_t j = 0; j < n; ++j)
                      mag += std::fabs(static_cast<double>(at[1 + r * lda + j]) * bt[1 + c * ldb + j]);
                    CHECK(std::fabs(w[pos] - expected[pos]) <= rounding_bound(n, mag));
                    w[pos] = w0[pos] = 0.f;  // live: checked; what is left must be untouched
                  }
            CHECK(std::memcmp(w.data(), w0.data(), sizeof(float) * w.size()) == 0);
          }
}

TEST_CASE("sparse kernels: spmv matches the scalar reference within its rounding bound") {
  Generator gen(13);
  const SparseKernels& ref = (*sparse_kernels_for(Isa::scalar));
  for (const SparseKernels* kt : vector_tables())
    for (int64_t rows : {1, 5, 16, 17, 37, 70})
      for (int64_t cols : {3, 29, 64, 65, 200})  // K <= 64 uses register lookups on AVX-512
        for (float density : kDensities)
          for (bool accumulate : {false, true}) {
            CAPTURE(std::string(isa_name(kt->isa)));
            CAPTURE(rows);
            CAPTURE(cols);
            CAPTURE(density);
            CAPTURE(accumulate);
            const Csr w = random_csr(rows, cols, density, gen);
            const Ell e = ell_of(w);
            const std::vector<float> x = random_vector(1 + cols, gen);
            std::vector<float> y0 = random_vector(2 + rows, gen);
            y0[1 + rows] = kSentinel;
            std::vector<float> y = y0, expected = y0;
            run_spmv(*kt, e, 0, e.ix->ell_slices(), x.data() + 1, y.data() + 1, accumulate);
            run_spmv(ref, e, 0, e.ix->ell_slices(), x.data() + 1, expected.data() + 1, accumulate);
            for (int64_t m = 0; m < rows; ++m) {
              double mag = accumulate ? std::fabs(y0[1 + m]) : 0.0;
              for (int32_t p = w.ptr[m]; p < w.ptr[m + 1]; ++p)
                mag += std::fabs(static_cast<double>(w.val[p]) * x[1 + w.idx[p]]);
              CHECK(std::fabs(y[1 + m] - expected[1 + m]) <= rounding_bound(w.ptr[m + 1] - w.ptr[m], mag));
            }
            CHECK(y[0] == y0[0]);
            CHECK(y[1 + rows] == kSentinel);
          }
}

TEST_CASE("sparse kernels: transpose is exact and writes nothing outside the destination") {
  Generator gen(14);
  for (const SparseKernels* kt : vector_tables())
    for (int64_t rows : {1, 3, 8, 17, 40, 65})
      for (int64_t cols : {1, 4, 9, 16, 33, 70}) {
        CAPTURE(std::string(isa_name(kt->isa)));
        CAPTURE(rows);
        CAPTURE(cols);
        const int64_t lds = cols + 3, ldd = rows + 2;
        const std::vector<float> src = random_vector(1 + rows * lds, gen);
        std::vector<float> dst(1 + cols * ldd, kSentinel), expected = dst;
        kt->transpose(rows, cols, src.data() + 1, lds, dst.data() + 1, ldd);
        (*sparse_kernels_for(Isa::scalar)).transpose(rows, cols, src.data() + 1, lds, expected.data() + 1, ldd);
        CHECK(std::memcmp(dst.data(), expected.data(), sizeof(float) * dst.size()) == 0);
      }
}

TEST_CASE("sparse kernels: a row's result does not depend on how the output rows are split") {
  // Note [Sparse products]: bitwise-identical results for any split of [m0, m1).
  Generator gen(15);
  std::vector<const SparseKernels*> tables = vector_tables();
  tables.push_back(sparse_kernels_for(Isa::scalar));
  const int64_t rows = 41, cols = 53, n = 37;
  const Csr w = random_csr(rows, cols, 0.5f, gen);
  const Ell e = ell_of(w);
  const std::vector<float> xt = random_vector(cols * n, gen), at = random_vector(rows * n, gen);
  const std::vector<float> y0 = random_vector(rows * n, gen), w0 = random_vector(rows * cols, gen);
  // 4×1 blocks over the first 40 rows: 10 block rows of the same columns.
  const Csr blocks = random_bsr(10, cols, BlockShape{4, 1}, 0.5f, gen);
  for (const SparseKernels* kt : tables) {
    CAPTURE(std::string(isa_name(kt->isa)));
    auto run = [&](int64_t split, std::vector<float>& y, std::vector<float>& g, std::vector<float>& v) {
      for (int64_t m0 = 0; m0 < rows; m0 += split) {
        const int64_t m1 = std::min(rows, m0 + split);
        kt->spmm(m0, m1, n, w.ptr.data(), w.idx.data(), w.val.data(), xt.data(), n, y.data(), n, true);
        kt->sddmm(m0, m1, n, w.ptr.data(), w.idx.data(), at.data(), n, xt.data(), n, g.data(), cols);
      }
      for (int64_t b0 = 0; b0 < 10; b0 += split) {
        const int64_t b1 = std::min<int64_t>(10, b0 + split);
        kt->bspmm(b0, b1, 4, 1, n, blocks.ptr.data(), blocks.idx.data(), blocks.val.data(), xt.data(), n, y.data(),
                  n, true);
        kt->bsddmm(b0, b1, 4, 1, n, blocks.ptr.data(), blocks.idx.data(), at.data(), n, xt.data(), n, g.data(), cols);
      }
      for (int64_t s0 = 0; s0 < e.ix->ell_slices(); s0 += split) {
        run_spmv(*kt, e, s0, std::min(e.ix->ell_slices(), s0 + split), xt.data(), v.data(), true);
      }
    };
    std::vector<float> y_all = y0, g_all = w0, v_all = y0;
    run(rows, y_all, g_all, v_all);
    for (int64_t split : {1, 3, 7, 16, 17}) {
      CAPTURE(split);
      std::vector<float> y = y0, g = w0, v = y0;
      run(split, y, g, v);
      CHECK(std::memcmp(y.data(), y_all.data(), sizeof(float) * y.size()) == 0);
      CHECK(std::memcmp(g.data(), g_all.data(), sizeof(float) * g.size()) == 0);
      CHECK(std::memcmp(v.data(), v_all.data(), sizeof(float) * v.size()) == 0);
    }
  }
}
