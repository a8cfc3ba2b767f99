// Broadcasting: shape rules, the binary driver's paths, sum_to and expand.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "op_checks.hpp"
#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/broadcast.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

Tensor constant(const Shape& shape, uint64_t seed) {
  Generator gen(seed, 3);
  return Tensor::randn(shape, gen);
}

// sum_to(g, s) element by element in double.
std::vector<double> sum_to_ref(const Tensor& g, const Shape& s) {
  std::vector<double> y(static_cast<size_t>(s.numel()), 0.0);
  for (int64_t i = 0; i < g.numel(); ++i) y[broadcast_source(i, s, g.shape())] += g.data()[i];
  return y;
}

}  // namespace

TEST_CASE("broadcast_shapes follows the NumPy rules") {
  CHECK(broadcast_shapes("t", Shape{3, 1}, Shape{1, 4}) == Shape{3, 4});
  CHECK(broadcast_shapes("t", Shape{}, Shape{2, 3}) == Shape{2, 3});
  CHECK(broadcast_shapes("t", Shape{5, 4}, Shape{4}) == Shape{5, 4});
  CHECK(broadcast_shapes("t", Shape{4}, Shape{5, 4}) == Shape{5, 4});
  CHECK(broadcast_shapes("t", Shape{2, 1, 3}, Shape{4, 1}) == Shape{2, 4, 3});
  CHECK(broadcast_shapes("t", Shape{0, 3}, Shape{1, 3}) == Shape{0, 3});
  CHECK(broadcast_shapes("t", Shape{0}, Shape{1}) == Shape{0});
  CHECK(broadcast_shapes("t", Shape{1, 1}, Shape{1}) == Shape{1, 1});
}

TEST_CASE("broadcast_shapes: impossible broadcasts name the op and both shapes") {
  check_error<ShapeError>([] { broadcast_shapes("add", Shape{3}, Shape{4}); }, {"add", "(3)", "(4)"});
  check_error<ShapeError>(
      [] {
        broadcast_shapes("mul", Shape{2, 3}, Shape{3, 2});
      },
      {"mul", "(2, 3)", "(3, 2)"});
  check_error<ShapeError>([] { broadcast_shapes("sub", Shape{0}, Shape{2}); }, {"sub", "(0)", "(2)"});
  check_error<ShapeError>(
      [] {
        add(Tensor::zeros(Shape{2, 5}), Tensor::zeros(Shape{3, 1}));
      },
      {"add", "(2, 5)", "(3, 1)"});
}

TEST_CASE("the binary driver matches a naive loop on every path, bitwise, with 1 and 2 threads") {
  // equal, one-element right/left, row, column, outer product, general, leading-axis broadcast
  const std::vector<std::pair<Shape, Shape>> cases = {
      {Shape{7, 5}, Shape{7, 5}},      {Shape{7, 5}, Shape{1, 1, 1}},       {Shape{}, Shape{3, 4}},
      {Shape{9, 6}, Shape{6}},         {Shape{9, 6}, Shape{9, 1}},          {Shape{9, 1}, Shape{1, 6}},
      {Shape{3, 1, 5}, Shape{4, 5}},   {Shape{2, 3, 1, 5}, Shape{3, 4, 1}}, {Shape{1, 6}, Shape{4, 3, 6}},
      {Shape{1, 4, 1}, Shape{5, 1, 3}}};
  const auto& k = kernels::elementwise_kernels();
  for (const auto& [sa, sb] : cases) {
    const Tensor a = constant(sa, 1), b = constant(sb, 2);
    const Shape out = broadcast_shapes("test", sa, sb);
    for (int threads : {1, 2}) {
      const int previous = num_threads();
      set_num_threads(threads);
      GrainOverride grain(3);
      const Tensor ys[4] = {add(a, b), sub(a, b), mul(a, b), div(a, b)};
      set_num_threads(previous);
      const kernels::BinaryFn fns[4] = {k.add, k.sub, k.mul, k.div};
      for (int op = 0; op < 4; ++op) {
        REQUIRE(ys[op].shape() == out);
        for (int64_t i = 0; i < out.numel(); ++i) {
          float expected;
          fns[op](a.data() + broadcast_source(i, sa, out), b.data() + broadcast_source(i, sb, out), &expected,
                  1);
          CHECK_MESSAGE(std::memcmp(&expected, ys[op].data() + i, sizeof(float)) == 0,
                        "op " << op << " " << sa << " with " << sb << " at " << i << ": " << ys[op].data()[i]
                              << " vs " << expected);
        }
      }
    }
  }
}

TEST_CASE("broadcasting an empty tensor gives an empty result") {
  CHECK(add(Tensor::zeros(Shape{0, 3}), Tensor::ones(Shape{3})).shape() == Shape{0, 3});
  CHECK(mul(Tensor::zeros(Shape{0}), Tensor::scalar(2.f)).numel() == 0);
  CHECK(expand(Tensor::zeros(Shape{1, 3}), Shape{0, 3}).shape() == Shape{0, 3});
}

TEST_CASE("sum_to sums over the broadcast axes") {
  const Tensor g = constant(Shape{4, 3, 5}, 3);
  for (const Shape& s : {Shape{3, 1}, Shape{5}, Shape{}, Shape{4, 1, 5}, Shape{1, 3, 1}, Shape{1, 1, 1},
                         Shape{4, 3, 1}, Shape{1, 5}}) {
    const Tensor y = sum_to(g, s);
    REQUIRE(y.shape() == s);
    const std::vector<double> ref = sum_to_ref(g, s);
    for (int64_t i = 0; i < s.numel(); ++i) CHECK(y.data()[i] == doctest::Approx(ref[i]).epsilon(1e-5));
  }
  CHECK(sum_to(g, g.shape()).same(g));
  const Tensor empty = sum_to(Tensor::zeros(Shape{0, 3}), Shape{3});
  CHECK(empty.to_vector() == std::vector<float>{0.f, 0.f, 0.f});
}

TEST_CASE("sum_to adds fixed blocks in index order (Note [Reduction order])") {
  const auto& k = kernels::elementwise_kernels();
  const int64_t n = 2 * kReduceBlock + 37;
  // Leading axis: (n, 3) -> (3), blocks of rows accumulated into partial rows.
  const Tensor rows = constant(Shape{n, 3}, 4);
  const Tensor by_rows = sum_to(rows, Shape{3});
  for (int64_t j = 0; j < 3; ++j) {
    float total = 0.f;
    for (int64_t b = 0; b < n; b += kReduceBlock) {
      float partial = 0.f;
      for (int64_t r = b; r < std::min(n, b + kReduceBlock); ++r)
        k.add(&partial, rows.data() + r * 3 + j, &partial, 1);
      total += partial;
    }
    CHECK(std::memcmp(&total, by_rows.data() + j, sizeof(float)) == 0);
  }
  // Trailing axis: (3, n) -> (3, 1), each block one kernel sum.
  const Tensor cols = constant(Shape{3, n}, 5);
  const Tensor by_cols = sum_to(cols, Shape{3, 1});
  for (int64_t o = 0; o < 3; ++o) {
    float total = 0.f;
    for (int64_t b = 0; b < n; b += kReduceBlock)
      total += k.sum(cols.data() + o * n + b, std::min(kReduceBlock, n - b));
    CHECK(std::memcmp(&total, by_cols.data() + o, sizeof(float)) == 0);
  }
}

TEST_CASE("sum_to: a shape that does not broadcast to the gradient is a ShapeError") {
  const Tensor g = Tensor::zeros(Shape{2, 3});
  check_error<ShapeError>([&] { sum_to(g, Shape{4}); }, {"sum_to", "(4)", "(2, 3)"});
  check_error<ShapeError>([&] { sum_to(g, Shape{1, 2, 3}); }, {"sum_to", "(1, 2, 3)", "(2, 3)"});
  check_error<ShapeError>([&] { sum_to(g, Shape{2, 2}); }, {"sum_to", "(2, 2)", "(2, 3)"});
}

TEST_CASE("expand repeats values and its gradient is sum_to") {
  const Tensor x = Tensor::from({1.f, 2.f, 3.f}, Shape{3, 1});
  CHECK(expand(x, Shape{2, 3, 2}).to_vector() == std::vector<float>{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3});
  const std::vector<std::pair<Shape, Shape>> cases = {{Shape{3, 1}, Shape{2, 3, 4}},
                                                      {Shape{4}, Shape{3, 4}},
                                                      {Shape{}, Shape{2, 2}},
                                                      {Shape{2, 1, 3}, Shape{2, 5, 3}},
                                                      {Shape{2, 3}, Shape{2, 3}}};
  for (const auto& [from, to] : cases) {
    const Tensor in = random_input(from, 6);
    GradcheckOptions o;
    o.atol = 1e-5;
    o.rtol = 1e-5;
    o.reference = [from, to](const std::vector<std::vector<double>>& v) {
      return broadcast_ref(v[0], from, to);
    };
    check_gradients(
        "expand", [to](auto& v) { return expand(v[0], to); }, {in}, o);
  }
}

TEST_CASE("expand to the same shape copies and leaves the input a leaf") {
  Tensor x = Tensor::from({1.f, 2.f}, Shape{2}).set_requires_grad();
  Tensor y = expand(x, Shape{2});
  CHECK(x.is_leaf());
  CHECK(!y.is_leaf());
  y.mutable_data()[0] = 5.f;
  CHECK(x.data()[0] == 1.f);
  Tape::current().clear();
}

TEST_CASE("expand: 1 and 2 threads give bitwise-identical results, forward and backward") {
  const Tensor col = random_input(Shape{300, 1}, 7);
  check_thread_determinism("expand/columns", [](auto& v) { return expand(v[0], Shape{300, 40}); }, {col});
  const Tensor row = random_input(Shape{40}, 8);
  check_thread_determinism("expand/rows", [](auto& v) { return expand(v[0], Shape{9000, 40}); }, {row});
  const Tensor mid = random_input(Shape{5, 1, 7}, 9);
  check_thread_determinism("expand/middle", [](auto& v) { return expand(v[0], Shape{5, 6000, 7}); }, {mid});
}

TEST_CASE("expand: impossible shapes name the op and both shapes") {
  check_error<ShapeError>([] { expand(Tensor::zeros(Shape{3}), Shape{4}); }, {"expand", "(3)", "(4)"});
  check_error<ShapeError>([] { expand(Tensor::zeros(Shape{2, 3}), Shape{3}); }, {"expand", "(2, 3)", "(3)"});
}

TEST_CASE("sum_to: NaN propagates into the sums it takes part in") {
  const Tensor y = sum_to(Tensor::from({NAN, 1.f, 2.f, 3.f}, Shape{2, 2}), Shape{2});
  CHECK(std::isnan(y.data()[0]));
  CHECK(y.data()[1] == 4.f);
}

TEST_CASE("expand: NaN is repeated like any value") {
  const Tensor y = expand(Tensor::from({NAN, 1.f}, Shape{2, 1}), Shape{2, 3});
  for (int64_t j = 0; j < 3; ++j) {
    CHECK(std::isnan(y.at({0, j})));
    CHECK(y.at({1, j}) == 1.f);
  }
}

TEST_CASE("the broadcast layout merges axes into the longest runs (Note [Broadcast layout])") {
  using detail::BroadcastLayout;
  const BroadcastLayout row(Shape{9, 6}, {Shape{9, 6}, Shape{6}});
  CHECK(row.rows() == 9);
  CHECK(row.inner() == 6);
  CHECK(!row.repeats(0));
  CHECK(!row.repeats(1));
  CHECK(row.offset(0, 4) == 24);
  CHECK(row.offset(1, 4) == 0);
  const BroadcastLayout column(Shape{9, 6}, {Shape{9, 6}, Shape{9, 1}});
  CHECK(column.rows() == 9);
  CHECK(column.inner() == 6);
  CHECK(column.repeats(1));
  CHECK(column.offset(1, 4) == 4);
  // (A, 1, C) with (B, C): A·B runs of C.
  const BroadcastLayout general(Shape{3, 4, 5}, {Shape{3, 1, 5}, Shape{4, 5}});
  CHECK(general.rows() == 12);
  CHECK(general.inner() == 5);
  CHECK(general.offset(0, 7) == 5);   // a row 7 / 4 = 1
  CHECK(general.offset(1, 7) == 15);  // b row 7 % 4 = 3
  // Size-1 axes vanish and contiguous axes merge into one run.
  const BroadcastLayout flat(Shape{2, 1, 3, 4}, {Shape{2, 1, 3, 4}, Shape{1, 2, 1, 3, 4}});
  CHECK(flat.rows() == 1);
  CHECK(flat.inner() == 24);
  // Both operands broadcast along the middle axis; b also along the run.
  const BroadcastLayout leading(Shape{5, 2, 3}, {Shape{5, 1, 3}, Shape{5, 1, 1}});
  CHECK(leading.rows() == 10);
  CHECK(leading.inner() == 3);
  CHECK(leading.repeats(1));
}
