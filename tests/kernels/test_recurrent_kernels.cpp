// The vectorised recurrent kernels against the scalar reference, on every instruction set this CPU
// runs: tails, strides, row groupings, extreme and NaN inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/ops/kernels/recurrent_kernels.hpp"

using namespace syn;
using namespace syn::kernels;

namespace {

const RecurrentKernels& scalar_kernels() { return *recurrent_kernels_for(Isa::scalar); }

// The vectorised tables this CPU runs, each once (sse2 has none of its own).
std::vector<const RecurrentKernels*> vector_tables() {
  std::vector<const RecurrentKernels*> out;
  for (Isa isa : supported_isas())
    if (const RecurrentKernels* t = recurrent_kernels_for(isa); t->isa == isa && isa != Isa::scalar) out.push_back(t);
  return out;
}

std::vector<float> random_vector(size_t n, Generator& gen, float low = -1.f, float high = 1.f) {
  std::vector<float> v(n);
  for (float& x : v) x = low + (high - low) * gen.uniform();
  return v;
}

// |a - b| <= atol + rtol·|b|, NaN only against NaN.
void check_near(const std::string& what, const std::vector<float>& a, const std::vector<float>& b,
                double rtol, double atol) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(b[i])) {
      CHECK_MESSAGE(std::isnan(a[i]), what << "[" << i << "] = " << a[i] << ", expected NaN");
      continue;
    }
    CHECK_MESSAGE(std::fabs(a[i] - b[i]) <= atol + rtol * std::fabs(b[i]),
                  what << "[" << i << "] = " << a[i] << ", reference " << b[i]);
  }
}

const std::vector<float> kExtremes = {0.f,
                                      -0.f,
                                      1e-30f,
                                      -1e-8f,
                                      0.3f,
                                      -0.3f,
                                      0.62f,
                                      -0.63f,
                                      1.f,
                                      -2.5f,
                                      5.f,
                                      -9.f,
                                      9.5f,
                                      20.f,
                                      -20.f,
                                      87.f,
                                      -87.f,
                                      88.5f,
                                      -88.5f,
                                      100.f,
                                      -100.f,
                                      1e30f,
                                      -1e30f,
                                      std::numeric_limits<float>::infinity(),
                                      -std::numeric_limits<float>::infinity(),
                                      std::nanf("")};

}  // namespace

TEST_CASE("recurrent kernels: the active table runs on this CPU and scalar is always there") {
  CHECK(scalar_kernels().isa == Isa::scalar);
  CHECK(cpu_supports(recurrent_kernels().isa));
  CHECK(recurrent_kernels_for(recurrent_kernels().isa) == &recurrent_kernels());
  for (const RecurrentKernels* kt : vector_tables()) CHECK(kt->block % 8 == 0);
}

TEST_CASE("recurrent kernels: packed matmul matches a double reference for every shape, stride and panel") {
  Generator gen(1);
  std::vector<const RecurrentKernels*> tables = vector_tables();
  tables.push_back(&scalar_kernels());
  for (const RecurrentKernels* kt : tables)
    for (int64_t m : {1, 2, 3, 5, 7, 8, 9, 13, 17})
      for (int64_t n : {1, 5, 16, 31, 32, 33, 64, 70})
        for (int64_t k : {1, 3, 64})
          for (int64_t panel : {kt->block, 2 * kt->block, (n + kt->block - 1) / kt->block * kt->block}) {
            CAPTURE(std::string(isa_name(kt->isa)));
            CAPTURE(m);
            CAPTURE(n);
            CAPTURE(k);
            CAPTURE(panel);
            const int64_t lda = k + 3, ldc = n + 2;
            const std::vector<float> a = random_vector(m * lda, gen), b = random_vector(k * n, gen);
            std::vector<float> c = random_vector(m * ldc, gen), expected = c;
            std::vector<float> packed(packed_size(k, n, panel));
            pack_panels(k, n, b.data(), n, false, panel, packed.data());
            kt->matmul_packed(m, n, k, a.data(), lda, packed.data(), panel, c.data(), ldc);
            for (int64_t i = 0; i < m; ++i)
              for (int64_t j = 0; j < n; ++j) {
                double acc = expected[i * ldc + j], mag = std::fabs(acc);
                for (int64_t p = 0; p < k; ++p) {
                  acc += static_cast<double>(a[i * lda + p]) * b[p * n + j];
                  mag += std::fabs(a[i * lda + p] * b[p * n + j]);
                }
                CHECK(std::fabs(c[i * ldc + j] - acc) <= 1e-6 * mag);
              }
            // The padding of the row stride is never written.
            for (int64_t i = 0; i < m; ++i)
              for (int64_t j = n; j < ldc; ++j) CHECK(c[i * ldc + j] == expected[i * ldc + j]);
          }
}

TEST_CASE("recurrent kernels: transposed packing equals packing the transpose") {
  Generator gen(2);
  const int64_t k = 5, n = 37;
  const std::vector<float> b = random_vector(k * n, gen);
  std::vector<float> bt(n * k);
  for (int64_t p = 0; p < k; ++p)
    for (int64_t j = 0; j < n; ++j) bt[j * k + p] = b[p * n + j];
  for (int64_t panel : {8, 16, 32}) {
    std::vector<float> direct(packed_size(k, n, panel)), from_t(packed_size(k, n, panel));
    pack_panels(k, n, b.data(), n, false, panel, direct.data());
    pack_panels(k, n, bt.data(), k, true, panel, from_t.data());
    CHECK(direct == from_t);
  }
}

TEST_CASE("recurrent kernels: a row's result depends neither on its row group nor on the panel width") {
  // Note [Packed recurrent weights]: bitwise-identical results for any row split and any layout.
  Generator gen(3);
  for (const RecurrentKernels* kt : vector_tables()) {
    CAPTURE(std::string(isa_name(kt->isa)));
    const int64_t m = 23, n = 70, k = 64;
    const std::vector<float> a = random_vector(m * k, gen), b = random_vector(k * n, gen);
    const std::vector<float> c0 = random_vector(m * n, gen);
    std::vector<float> packed(packed_size(k, n, kt->block));
    pack_panels(k, n, b.data(), n, false, kt->block, packed.data());
    std::vector<float> all = c0;
    kt->matmul_packed(m, n, k, a.data(), k, packed.data(), kt->block, all.data(), n);
    for (int64_t panel : {kt->block, 3 * kt->block, 5 * kt->block})
      for (int64_t split : {1, 3, 7, 8, 11}) {
        CAPTURE(panel);
        CAPTURE(split);
        std::vector<float> repacked(packed_size(k, n, panel));
        pack_panels(k, n, b.data(), n, false, panel, repacked.data());
        std::vector<float> parts = c0;
        for (int64_t i = 0; i < m; i += split) {
          const int64_t rows = std::min(split, m - i);
          kt->matmul_packed(rows, n, k, a.data() + i * k, k, repacked.data(), panel, parts.data() + i * n, n);
        }
        CHECK(std::memcmp(all.data(), parts.data(), sizeof(float) * all.size()) == 0);
      }
  }
}

TEST_CASE("recurrent kernels: gate kernels match the scalar reference, tails included") {
  Generator gen(4);
  const RecurrentKernels& ref = scalar_kernels();
  for (const RecurrentKernels* kt : vector_tables())
    for (int64_t hid : {1, 7, 8, 16, 19, 33}) {
      CAPTURE(std::string(isa_name(kt->isa)));
      CAPTURE(hid);
      const int64_t rows = 3, nh = rows * hid;
      const std::vector<float> pre = random_vector(rows * 4 * hid, gen, -4.f, 4.f);
      const std::vector<float> c_prev = random_vector(nh, gen, -2.f, 2.f), dh = random_vector(nh, gen);
      const std::vector<float> dc_in = random_vector(nh, gen);

      // LSTM forward and backward.
      std::vector<float> g1 = pre, g2 = pre, c1(nh), c2(nh), h1(nh), h2(nh);
      kt->lstm_cell(rows, hid, g1.data(), c_prev.data(), c1.data(), h1.data());
      ref.lstm_cell(rows, hid, g2.data(), c_prev.data(), c2.data(), h2.data());
      check_near("lstm gates", g1, g2, 4e-6, 1e-7);
      check_near("lstm c", c1, c2, 4e-6, 1e-6);
      check_near("lstm h", h1, h2, 4e-6, 1e-6);
      std::vector<float> dc1 = dc_in, dc2 = dc_in, dg1(rows * 4 * hid), dg2(rows * 4 * hid);
      kt->lstm_cell_backward(rows, hid, g2.data(), c_prev.data(), c2.data(), dh.data(), dc1.data(),
                             dg1.data());
      ref.lstm_cell_backward(rows, hid, g2.data(), c_prev.data(), c2.data(), dh.data(), dc2.data(),
                             dg2.data());
      check_near("lstm dgates", dg1, dg2, 4e-6, 1e-6);
      check_near("lstm dc", dc1, dc2, 4e-6, 1e-6);

      // GRU forward and backward.
      const std::vector<float> xp = random_vector(rows * 3 * hid, gen, -3.f, 3.f);
      const std::vector<float> hp = random_vector(rows * 3 * hid, gen, -3.f, 3.f);
      std::vector<float> s1(rows * 4 * hid), s2(rows * 4 * hid), y1(nh), y2(nh);
      kt->gru_cell(rows, hid, xp.data(), hp.data(), c_prev.data(), s1.data(), y1.data());
      ref.gru_cell(rows, hid, xp.data(), hp.data(), c_prev.data(), s2.data(), y2.data());
      check_near("gru gates", s1, s2, 4e-6, 1e-7);
      check_near("gru h", y1, y2, 4e-6, 1e-6);
      std::vector<float> dx1(rows * 3 * hid), dx2(rows * 3 * hid), dq1(rows * 3 * hid), dq2(rows * 3 * hid);
      std::vector<float> dp1(nh), dp2(nh);
      kt->gru_cell_backward(rows, hid, s2.data(), c_prev.data(), dh.data(), dx1.data(), dq1.data(),
                            dp1.data());
      ref.gru_cell_backward(rows, hid, s2.data(), c_prev.data(), dh.data(), dx2.data(), dq2.data(),
                            dp2.data());
      check_near("gru dxp", dx1, dx2, 4e-6, 1e-6);
      check_near("gru dhp", dq1, dq2, 4e-6, 1e-6);
      check_near("gru dh_prev", dp1, dp2, 4e-6, 1e-6);

      // RNN cells.
      for (bool relu : {false, true}) {
        std::vector<float> r1(nh), r2(nh), d1(nh), d2(nh);
        (relu ? kt->rnn_relu_cell : kt->rnn_tanh_cell)(nh, pre.data(), r1.data());
        (relu ? ref.rnn_relu_cell : ref.rnn_tanh_cell)(nh, pre.data(), r2.data());
        check_near(relu ? "relu" : "tanh", r1, r2, 4e-6, 1e-7);
        (relu ? kt->rnn_relu_cell_backward : kt->rnn_tanh_cell_backward)(nh, r2.data(), dh.data(), d1.data());
        (relu ? ref.rnn_relu_cell_backward : ref.rnn_tanh_cell_backward)(nh, r2.data(), dh.data(), d2.data());
        check_near(relu ? "relu backward" : "tanh backward", d1, d2, 4e-6, 1e-7);
      }
    }
}

TEST_CASE("recurrent kernels: sigmoid and tanh at extreme, infinite and NaN inputs") {
  const RecurrentKernels& ref = scalar_kernels();
  const int64_t hid = static_cast<int64_t>(kExtremes.size());
  for (const RecurrentKernels* kt : vector_tables()) {
    CAPTURE(std::string(isa_name(kt->isa)));
    // tanh through the rnn cell, sigmoid and tanh through the lstm gates (i, f, g, o all = x).
    std::vector<float> t1(hid), t2(hid);
    kt->rnn_tanh_cell(hid, kExtremes.data(), t1.data());
    ref.rnn_tanh_cell(hid, kExtremes.data(), t2.data());
    check_near("tanh", t1, t2, 3e-7, 0);
    std::vector<float> g1, c_prev(hid, 0.f), c(hid), h(hid);
    for (int q = 0; q < 4; ++q) g1.insert(g1.end(), kExtremes.begin(), kExtremes.end());
    std::vector<float> g2 = g1;
    kt->lstm_cell(1, hid, g1.data(), c_prev.data(), c.data(), h.data());
    ref.lstm_cell(1, hid, g2.data(), c_prev.data(), c.data(), h.data());
    // Below 2^-126 the vector sigmoid flushes to 0 (sigmoid(-88.5) ≈ 3.9e-39): absolute 1e-37.
    check_near("sigmoid/tanh gates", g1, g2, 3e-7, 1e-37);
    CHECK(std::isnan(g1[hid - 1]));
    CHECK(g1[hid - 2] == 0.f);  // sigmoid(-inf)
    CHECK(g1[hid - 3] == 1.f);  // sigmoid(inf)
    CHECK(t1[hid - 2] == -1.f);
    CHECK(t1[hid - 3] == 1.f);
    CHECK(std::signbit(t1[1]));  // tanh(-0) = -0
  }
}
