// Masked weights in linear and the fused recurrent layers (Note [Sparse plans]): every plan gives the
// dense result of the zeroed weights, dead weight-gradient entries are exactly 0, live ones equal the
// dense gradient's, gradients check numerically under the sparse plan.
#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "support/masks.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/ops/matmul.hpp"
#include "synapse/ops/recurrent.hpp"
#include "synapse/ops/operators.hpp"
#include "synapse/ops/reduce.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/sparse_plan.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

struct Grads {
  std::vector<std::vector<float>> values;  // outputs, then the gradient of every input
};

// Runs f on fresh leaf copies of `inputs` (masks kept) under `plan`; returns the outputs' values and
// every input's gradient for the seed sum(R ⊙ y) with a fixed random R per output.
template <class F>
Grads run(const std::vector<Tensor>& inputs, SparsePlan plan, F&& f) {
  const SparsePlanOverride force(plan);
  std::vector<Tensor> leaves;
  for (const Tensor& t : inputs) {
    Tensor c = t.clone();
    c.set_requires_grad(true);
    leaves.push_back(c);
  }
  const std::vector<Tensor> outs = f(leaves);
  Grads g;
  Generator gen(99);
  Tensor loss;
  for (const Tensor& y : outs) {
    g.values.push_back(y.to_vector());
    const Tensor r = Tensor::randn(y.shape(), gen);
    const Tensor term = sum(y * r);
    loss = loss.defined() ? loss + term : term;
  }
  loss.backward();
  for (const Tensor& t : leaves) g.values.push_back(t.grad().defined() ? t.grad().to_vector() : std::vector<float>());
  return g;
}

// Every value of a equals b's within a rounding bound relative to the magnitudes involved.
void check_close(const Grads& a, const Grads& b, double tol) {
  REQUIRE(a.values.size() == b.values.size());
  for (size_t i = 0; i < a.values.size(); ++i) {
    REQUIRE(a.values[i].size() == b.values[i].size());
    for (size_t j = 0; j < a.values[i].size(); ++j)
      CHECK_MESSAGE(std::abs(a.values[i][j] - b.values[i][j]) <= tol * (1 + std::abs(b.values[i][j])),
                    "value ", i, " element ", j, ": ", a.values[i][j], " vs ", b.values[i][j]);
  }
}

// Dead entries (under `mask`) of a gradient are exactly 0.
void check_dead_zero(const std::vector<float>& grad, const Mask& mask) {
  REQUIRE(static_cast<int64_t>(grad.size()) == mask.numel());
  for (int64_t i = 0; i < mask.numel(); ++i)
    if (!mask.live(i)) CHECK(grad[static_cast<size_t>(i)] == 0.f);
}

}  // namespace

TEST_CASE("sparse ops: linear with a masked weight gives the zeroed dense result under every plan") {
  Generator gen(5);
  // Element masks, and block masks of every shape of kBlockShapes (the block plan's kernels); the
  // block plan runs as sparse for element masks and batches of one.
  const std::vector<std::pair<int64_t, int64_t>> kinds = {{1, 1}, {4, 4}, {4, 1}, {1, 4}};
  for (const auto& [br, bc] : kinds)
    for (int64_t n : {1, 3, 37}) {
      for (double density : {0.0, 0.1, 0.5, 1.0}) {
        CAPTURE(br);
        CAPTURE(bc);
        CAPTURE(n);
        CAPTURE(density);
        const int64_t k = br * bc == 1 ? 19 : 20, m = br * bc == 1 ? 23 : 24;
        const Tensor x = Tensor::randn({n, k}, gen), b = Tensor::randn({m}, gen);
        Tensor w = Tensor::randn({m, k}, gen);
        w.set_mask(br * bc == 1 ? random_mask(m * k, density, 11)
                                : random_block_mask(m, k, br, bc, density, 11));
        // All-live and all-dead masks are 4×4 blocks; element masks of (23, 19) have no block shape.
        const bool whole = density == 0 || density == 1;
        const MaskIndex& ix = w.mask()->index(m, k);
        CHECK(ix.block_rows == (br * bc == 1 ? 1 : whole ? 4 : br));
        CHECK(ix.block_cols == (br * bc == 1 ? 1 : whole ? 4 : bc));
        {
          const SparsePlanOverride force(SparsePlan::block);
          CHECK(sparse_plan_for(w, n) == (br * bc > 1 && n > 1 ? SparsePlan::block : SparsePlan::sparse));
        }
        Tensor unmasked = w.clone();
        unmasked.set_mask(nullptr);
        auto f = [](const std::vector<Tensor>& in) {
          return std::vector<Tensor>{linear(in[0], in[1], in[2])};
        };
        const Grads dense = run({x, w, b}, SparsePlan::dense, f);
        const Grads plain = run({x, unmasked, b}, SparsePlan::dense, f);
        for (SparsePlan plan : {SparsePlan::sparse, SparsePlan::block}) {
          CAPTURE(sparse_plan_name(plan));
          const Grads g = run({x, w, b}, plan, f);
          check_close(g, dense, 1e-5);
          check_dead_zero(g.values[2], *w.mask());
        }
        check_dead_zero(dense.values[2], *w.mask());
        // Live gradient entries, outputs and the other gradients equal the unmasked computation's.
        for (int64_t i = 0; i < w.numel(); ++i)
          if (w.mask()->live(i))
            CHECK(dense.values[2][i] == doctest::Approx(plain.values[2][i]).epsilon(1e-6));
        CHECK(dense.values[0] == plain.values[0]);
        CHECK(dense.values[1] == plain.values[1]);
      }
    }
}

TEST_CASE(
    "sparse ops: block masks run the block plan below their crossover, batches of one the sparse plan") {
  // choose_sparse_plan: 4×4 blocks from 70 % sparsity, other shapes at the element crossover.
  CHECK(choose_sparse_plan(0.3, 64, 256, 256, SparseLayout::transposed, {4, 4}) == SparsePlan::block);
  CHECK(choose_sparse_plan(0.4, 64, 256, 256, SparseLayout::transposed, {4, 4}) == SparsePlan::dense);
  CHECK(choose_sparse_plan(0.3, 64, 256, 256, SparseLayout::transposed, {1, 4}) == SparsePlan::dense);
  CHECK(choose_sparse_plan(0.1, 64, 256, 256, SparseLayout::transposed, {1, 4}) == SparsePlan::block);
  CHECK(choose_sparse_plan(0.1, 64, 256, 256) == SparsePlan::sparse);
  CHECK(choose_sparse_plan(0.1, 1, 256, 256, SparseLayout::transposed, {4, 4}) == SparsePlan::sparse);
  // sparse_plan_for reads the block shape from the mask's bits.
  Generator gen(12);
  const Tensor blocks = block_masked(Tensor::randn({64, 64}, gen), 0.1, 1);
  const Tensor elements = masked(Tensor::randn({64, 64}, gen), 0.1, 1);
  CHECK(sparse_plan_for(blocks, 64) == SparsePlan::block);
  CHECK(sparse_plan_for(blocks, 1) == SparsePlan::sparse);
  CHECK(sparse_plan_for(elements, 64) == SparsePlan::sparse);
  CHECK(std::string(sparse_plan_name(SparsePlan::block)) == "block");
  // Forcing the block plan falls back to the sparse plan without block structure.
  const SparsePlanOverride force(SparsePlan::block);
  CHECK(sparse_plan_for(elements, 64) == SparsePlan::sparse);
  CHECK(sparse_plan_for(block_masked(Tensor::randn({64, 64}, gen), 0.9, 2), 64) == SparsePlan::block);
}

TEST_CASE("sparse ops: a batch of several passes gives the exact products within their rounding bound") {
  // 1100 rows: passes of 512, 512 and 76 batch entries (sparse_weight.hpp).
  Generator gen(13);
  const int64_t n = 1100, m = 8, k = 12;
  for (SparsePlan plan : {SparsePlan::sparse, SparsePlan::block}) {
    CAPTURE(sparse_plan_name(plan));
    const SparsePlanOverride force(plan);
    Tensor x = Tensor::randn({n, k}, gen), w = block_masked(Tensor::randn({m, k}, gen), 0.5, 4);
    const Tensor seed = Tensor::randn({n, m}, gen);
    x.set_requires_grad(true);
    w.set_requires_grad(true);
    REQUIRE(sparse_plan_for(w, n) == plan);
    const Tensor y = linear(x, w);
    y.backward(seed);
    const std::vector<float> px = x.to_vector(), pw = w.to_vector(), pd = seed.to_vector(), py = y.to_vector();
    const std::vector<float> gx = x.grad().to_vector(), gw = w.grad().to_vector();
    // got = Σ_{t < terms} a[t·sa]·b[t·sb] within (terms + 2)·2^-23·Σ|products| of the exact sum.
    const auto check = [](float got, const float* a, int64_t sa, const float* b, int64_t sb, int64_t terms) {
      double exact = 0, magnitude = 0;
      for (int64_t t = 0; t < terms; ++t) {
        exact += static_cast<double>(a[t * sa]) * b[t * sb];
        magnitude += std::abs(static_cast<double>(a[t * sa]) * b[t * sb]);
      }
      CHECK(std::abs(got - exact) <= static_cast<double>(terms + 2) * std::ldexp(1.0, -23) * magnitude);
    };
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t o = 0; o < m; ++o) check(py[r * m + o], &px[r * k], 1, &pw[o * k], 1, k);  // y = x·Wᵀ
      for (int64_t i = 0; i < k; ++i) check(gx[r * k + i], &pd[r * m], 1, &pw[i], k, m);     // dx = dy·W
    }
    for (int64_t o = 0; o < m; ++o)
      for (int64_t i = 0; i < k; ++i) {  // dW = dyᵀ·x at live positions, 0 elsewhere
        if (w.mask()->live(o * k + i))
          check(gw[o * k + i], &pd[o], m, &px[i], k, n);
        else
          CHECK(gw[o * k + i] == 0.f);
      }
  }
}

TEST_CASE("sparse ops: linear gradients check numerically under the sparse and block plans") {
  for (SparsePlan plan : {SparsePlan::sparse, SparsePlan::block}) {
    CAPTURE(sparse_plan_name(plan));
    const SparsePlanOverride force(plan);
    Generator gen(6);
    for (int64_t n : {1, 4}) {
      Tensor x = Tensor::randn({n, 8}, gen), b = Tensor::randn({4}, gen);
      Tensor w = plan == SparsePlan::block ? block_masked(Tensor::randn({4, 8}, gen), 0.5, 3)
                                           : masked(Tensor::randn({4, 8}, gen), 0.5, 3);
      x.set_requires_grad(true);
      w.set_requires_grad(true);
      b.set_requires_grad(true);
      check_gradients("linear (sparse plans)",
                      [](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); }, {x, w, b});
    }
  }
}

TEST_CASE("sparse ops: masked recurrent layers agree across plans, and dead gradients stay 0") {
  Generator gen(7);
  for (RecurrentCell cell :
       {RecurrentCell::rnn_tanh, RecurrentCell::rnn_relu, RecurrentCell::lstm, RecurrentCell::gru}) {
    // 40: two feature-major chunks (Note [Feature-major recurrent loop]); an unmasked W_ih stays dense
    // while W_hh runs sparse (the input projection outside the loop). Block masks: W_hh in 4×4
    // blocks, W_ih (G·H, 3) in 4×1 blocks.
    for (const auto& [n, mask_ih] :
         {std::pair{1, true}, std::pair{5, true}, std::pair{40, true}, std::pair{40, false}})
      for (bool blocks : {false, true}) {
        CAPTURE(cell_name(cell));
        CAPTURE(n);
        CAPTURE(mask_ih);
        CAPTURE(blocks);
        const int64_t t = 4, in = 3, hid = 8, gh = gate_count(cell) * hid;
        const auto mask = [&](const Tensor& w, double density, uint64_t seed) {
          return blocks ? block_masked(w, density, seed) : masked(w, density, seed);
        };
        const Tensor x = Tensor::randn({n, t, in}, gen, 0.f, 0.5f);
        Tensor w_ih = Tensor::randn({gh, in}, gen, 0.f, 0.5f);
        if (mask_ih) w_ih = mask(w_ih, 0.4, 1);
        const Tensor w_hh = mask(Tensor::randn({gh, hid}, gen, 0.f, 0.5f), 0.3, 2);
        if (blocks) CHECK(w_hh.mask()->index(gh, hid).block_rows == 4);
        const Tensor b_ih = Tensor::randn({gh}, gen), b_hh = Tensor::randn({gh}, gen);
        const Tensor h0 = Tensor::randn({n, hid}, gen);
        auto f = [cell](const std::vector<Tensor>& v) {
          RecurrentOutput out = recurrent_layer(cell, v[0], {v[1], v[2], v[3], v[4]}, v[5]);
          return std::vector<Tensor>{out.output, out.h_n};
        };
        const Grads dense = run({x, w_ih, w_hh, b_ih, b_hh, h0}, SparsePlan::dense, f);
        check_dead_zero(dense.values[4], *w_hh.mask());
        for (SparsePlan plan : {SparsePlan::sparse, SparsePlan::block}) {
          CAPTURE(sparse_plan_name(plan));
          const Grads g = run({x, w_ih, w_hh, b_ih, b_hh, h0}, plan, f);
          check_close(g, dense, 2e-5);
          if (mask_ih) check_dead_zero(g.values[3], *w_ih.mask());
          check_dead_zero(g.values[4], *w_hh.mask());
        }
      }
  }
}

TEST_CASE("sparse ops: masked LSTM gradients check numerically under the sparse plan") {
  const SparsePlanOverride force(SparsePlan::sparse);
  Generator gen(8);
  for (int64_t n : {1, 3}) {
    const int64_t hid = 3;
    std::vector<Tensor> in = {Tensor::randn({n, 3, 2}, gen), masked(Tensor::randn({4 * hid, 2}, gen), 0.5, 4),
                              masked(Tensor::randn({4 * hid, hid}, gen), 0.4, 5), Tensor::randn({4 * hid}, gen),
                              Tensor::randn({4 * hid}, gen)};
    for (Tensor& t : in) t.set_requires_grad(true);
    check_gradients(
        "lstm (sparse plan)",
        [](const std::vector<Tensor>& v) {
          return recurrent_layer(RecurrentCell::lstm, v[0], {v[1], v[2], v[3], v[4]}).output;
        },
        in);
  }
}

TEST_CASE("sparse ops: results do not depend on the thread split under the sparse and block plans") {
  for (SparsePlan plan : {SparsePlan::sparse, SparsePlan::block}) {
    CAPTURE(sparse_plan_name(plan));
    const SparsePlanOverride force(plan);
    Generator gen(9);
    Tensor x = Tensor::randn({64, 48}, gen);
    Tensor w = block_masked(Tensor::randn({40, 48}, gen), 0.2, 6);
    x.set_requires_grad(true);
    w.set_requires_grad(true);
    const auto pass = [&] {
      x.zero_grad();
      w.zero_grad();
      const Tensor y = linear(x, w);
      sum(y * y).backward();
      return std::vector<std::vector<float>>{y.to_vector(), x.grad().to_vector(), w.grad().to_vector()};
    };
    const auto whole = pass();
    const GrainOverride split(1);
    CHECK(pass() == whole);
  }
}

TEST_CASE("sparse ops: changing a weight's mask between forward and backward is an error naming the op") {
  Generator gen(10);
  Tensor x = Tensor::randn({2, 4}, gen);
  Tensor w = masked(Tensor::randn({3, 4}, gen), 0.5, 7);
  w.set_requires_grad(true);
  const Tensor y = sum(linear(x, w));
  w.set_mask(random_mask(12, 0.25, 8));
  try {
    y.backward();
    FAIL("backward ran with a changed mask");
  } catch (const AutogradError& e) {
    const std::string message = e.what();
    CHECK(message.find("LinearBackward") != std::string::npos);
    CHECK(message.find("mask") != std::string::npos);
    CHECK(message.find("(3, 4)") != std::string::npos);
  }
}

TEST_CASE("sparse ops: reshape keeps a weight's mask and narrow slices it (Note [Mask invariants] 8)") {
  Generator gen(11);
  const Tensor w = masked(Tensor::randn({6, 4}, gen), 0.5, 9);
  CHECK(reshape(w, {4, 6}).mask() == w.mask());
  CHECK(w.view(Shape{24}).mask() == w.mask());
  CHECK(narrow(w, 0, 0, 6).mask() == w.mask());
  for (const auto& [axis, start, length] : {std::tuple{0, 2, 3}, std::tuple{1, 1, 2}}) {
    const Tensor part = narrow(w, axis, start, length);
    REQUIRE(part.mask());
    const std::vector<float> values = part.to_vector();
    const int64_t cols = part.size(1);
    for (int64_t i = 0; i < part.numel(); ++i) {
      const int64_t r = i / cols + (axis == 0 ? start : 0), c = i % cols + (axis == 1 ? start : 0);
      CHECK(part.mask()->live(i) == w.mask()->live(r * 4 + c));
    }
    CHECK(narrow(w, axis, start, length).mask() == part.mask());  // the slice is cached
  }
  // A product with a row slice of a masked weight (the attention projections) runs masked.
  const Tensor x = Tensor::randn({3, 4}, gen);
  const SparsePlanOverride force(SparsePlan::sparse);
  Tensor dense_rows = narrow(w, 0, 2, 3).clone();
  dense_rows.set_mask(nullptr);
  const std::vector<float> a = linear(x, narrow(w, 0, 2, 3)).to_vector(), b = linear(x, dense_rows).to_vector();
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-6));
}
