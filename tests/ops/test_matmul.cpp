// matmul (torch.matmul semantics), bmm and linear: values against double loops, gradients,
// broadcasting, thread determinism, errors.
#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/matmul.hpp"

using namespace syn;
using namespace syn::testing;

namespace {
// c[i, j] = sum_p a[i, p] * b[p, j] for one (m, k) x (k, n) pair, in double.
double ref_entry(const float* a, const float* b, int64_t k, int64_t n, int64_t i, int64_t j) {
  double s = 0;
  for (int64_t p = 0; p < k; ++p) s += static_cast<double>(a[i * k + p]) * b[p * n + j];
  return s;
}

// Checks y[e] = a[a_of(e)] · b[b_of(e)] for every batch entry e of y.
template <class AOf, class BOf>
void check_product(const Tensor& y, const Tensor& a, const Tensor& b, int64_t m, int64_t k, int64_t n,
                   AOf a_of, BOf b_of) {
  const int64_t batches = y.numel() / (m * n);
  for (int64_t e = 0; e < batches; ++e)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        CHECK(y.data()[(e * m + i) * n + j] ==
              doctest::Approx(ref_entry(a.data() + a_of(e) * m * k, b.data() + b_of(e) * k * n, k, n, i, j))
                  .epsilon(1e-5));
}
}  // namespace

TEST_CASE("matmul: 2-D values and gradients") {
  const Tensor a = random_input(Shape{3, 4}, 1), b = random_input(Shape{4, 5}, 2);
  Tensor y = matmul(a.detach(), b.detach());
  REQUIRE(y.shape() == Shape{3, 5});
  check_product(
      y, a, b, 3, 4, 5, [](int64_t) { return 0; }, [](int64_t) { return 0; });
  check_gradients("matmul/2d", [](auto& in) { return matmul(in[0], in[1]); }, {a, b});
  // The same tensor on both sides: both gradients land in one buffer.
  check_gradients("matmul/x*x", [](auto& in) { return matmul(in[0], in[0]); },
                  {random_input(Shape{4, 4}, 3)});
}

TEST_CASE("matmul: batched with broadcast batch dims") {
  const Tensor a = random_input(Shape{2, 1, 3, 4}, 4), b = random_input(Shape{3, 4, 2}, 5);
  Tensor y = matmul(a.detach(), b.detach());
  REQUIRE(y.shape() == Shape{2, 3, 3, 2});
  check_product(
      y, a, b, 3, 4, 2, [](int64_t e) { return e / 3; }, [](int64_t e) { return e % 3; });
  check_gradients("matmul/broadcast", [](auto& in) { return matmul(in[0], in[1]); }, {a, b});
  // a shared by every batch entry of b.
  const Tensor a2 = random_input(Shape{3, 4}, 6), b2 = random_input(Shape{2, 4, 5}, 7);
  check_product(
      matmul(a2.detach(), b2.detach()), a2, b2, 3, 4, 5, [](int64_t) { return 0; },
      [](int64_t e) { return e; });
  check_gradients("matmul/shared-a", [](auto& in) { return matmul(in[0], in[1]); }, {a2, b2});
  // b shared by every batch entry of a (computed as one folded product).
  const Tensor a3 = random_input(Shape{2, 3, 3, 4}, 8), b3 = random_input(Shape{1, 4, 5}, 9);
  Tensor y3 = matmul(a3.detach(), b3.detach());
  CHECK(y3.shape() == Shape{2, 3, 3, 5});
  check_product(
      y3, a3, b3, 3, 4, 5, [](int64_t e) { return e; }, [](int64_t) { return 0; });
  check_gradients("matmul/shared-b", [](auto& in) { return matmul(in[0], in[1]); }, {a3, b3});
}

TEST_CASE("matmul: 1-D operands") {
  const Tensor v = random_input(Shape{4}, 10), w = random_input(Shape{4}, 11);
  const Tensor m = random_input(Shape{4, 3}, 12), mt = random_input(Shape{3, 4}, 13);
  const Tensor batch = random_input(Shape{2, 4, 3}, 14);
  Tensor dot = matmul(v.detach(), w.detach());
  CHECK(dot.shape() == Shape{});
  CHECK(dot.item() == doctest::Approx(ref_entry(v.data(), w.data(), 4, 1, 0, 0)).epsilon(1e-5));
  CHECK(matmul(v, m).shape() == Shape{3});
  CHECK(matmul(mt, v).shape() == Shape{3});
  CHECK(matmul(v, batch).shape() == Shape{2, 3});
  CHECK(matmul(batch.detach(), Tensor::ones(Shape{3})).at({1, 2}) ==
        doctest::Approx(batch.at({1, 2, 0}) + batch.at({1, 2, 1}) + batch.at({1, 2, 2})));
  Tape::current().clear();
  check_gradients("matmul/vv", [](auto& in) { return matmul(in[0], in[1]); }, {v, w});
  check_gradients("matmul/vm", [](auto& in) { return matmul(in[0], in[1]); }, {v, m});
  check_gradients("matmul/mv", [](auto& in) { return matmul(in[0], in[1]); }, {mt, v});
  check_gradients("matmul/v-batch", [](auto& in) { return matmul(in[0], in[1]); }, {v, batch});
}

TEST_CASE("matmul: an empty inner size gives zeros") {
  Tensor y = matmul(Tensor::zeros(Shape{2, 0}), Tensor::zeros(Shape{0, 3}));
  CHECK(y.to_vector() == std::vector<float>(6, 0.f));
}

TEST_CASE("matmul: shape errors name the op and both shapes") {
  Tensor a = Tensor::zeros(Shape{2, 3}), b = Tensor::zeros(Shape{4, 5});
  CHECK_THROWS_WITH_AS(
      matmul(a, b), doctest::Contains("matmul: a (2, 3) and b (4, 5) have inner sizes 3 and 4"), ShapeError);
  CHECK_THROWS_WITH_AS(
      matmul(Tensor::zeros(Shape{2, 2, 3}), Tensor::zeros(Shape{3, 3, 4})),
      doctest::Contains("matmul: batch dims of a (2, 2, 3) and b (3, 3, 4) cannot be broadcast"), ShapeError);
  CHECK_THROWS_AS(matmul(Tensor::scalar(1.f), a), ShapeError);
  CHECK_THROWS_AS(matmul(Tensor::zeros(Shape{3}), a), ShapeError);
  CHECK_THROWS_AS(matmul(a, Tensor::zeros(Shape{2})), ShapeError);
  CHECK_THROWS_WITH_AS(bmm(Tensor::zeros(Shape{2, 3, 4}), Tensor::zeros(Shape{3, 4, 5})),
                       doctest::Contains("bmm: a (2, 3, 4) and b (3, 4, 5)"), ShapeError);
  CHECK_THROWS_AS(bmm(a, b), ShapeError);
}

TEST_CASE("bmm: values and gradients") {
  const Tensor a = random_input(Shape{3, 2, 4}, 15), b = random_input(Shape{3, 4, 5}, 16);
  Tensor y = bmm(a.detach(), b.detach());
  REQUIRE(y.shape() == Shape{3, 2, 5});
  check_product(
      y, a, b, 2, 4, 5, [](int64_t e) { return e; }, [](int64_t e) { return e; });
  check_gradients("bmm", [](auto& in) { return bmm(in[0], in[1]); }, {a, b});
}

TEST_CASE("linear: y = x times w transposed plus b, over any leading dims") {
  const Tensor x = random_input(Shape{2, 3, 4}, 17), w = random_input(Shape{5, 4}, 18),
               b = random_input(Shape{5}, 19);
  Tensor y = linear(x.detach(), w.detach(), b.detach());
  REQUIRE(y.shape() == Shape{2, 3, 5});
  for (int64_t r = 0; r < 6; ++r)
    for (int64_t j = 0; j < 5; ++j) {
      double s = b.data()[j];
      for (int64_t p = 0; p < 4; ++p) s += static_cast<double>(x.data()[r * 4 + p]) * w.data()[j * 4 + p];
      CHECK(y.data()[r * 5 + j] == doctest::Approx(s).epsilon(1e-5));
    }
  CHECK(linear(Tensor::ones(Shape{4}), w.detach()).shape() == Shape{5});
  check_gradients("linear", [](auto& in) { return linear(in[0], in[1], in[2]); }, {x, w, b});
  check_gradients("linear/no-bias", [](auto& in) { return linear(in[0], in[1]); }, {x, w});
  check_gradients("linear/1d", [](auto& in) { return linear(in[0], in[1], in[2]); },
                  {random_input(Shape{4}, 20), w, b});
  check_gradients("linear/frozen-x", [](auto& in) { return linear(in[0], in[1], in[2]); },
                  {x.detach(), w, b});
}

TEST_CASE("linear: shape errors") {
  Tensor x = Tensor::zeros(Shape{2, 3}), w = Tensor::zeros(Shape{4, 2});
  CHECK_THROWS_WITH_AS(linear(x, w), doctest::Contains("linear: x (2, 3) and w (4, 2)"), ShapeError);
  CHECK_THROWS_AS(linear(x, Tensor::zeros(Shape{3})), ShapeError);
  CHECK_THROWS_WITH_AS(linear(x, Tensor::zeros(Shape{4, 3}), Tensor::zeros(Shape{3})),
                       doctest::Contains("linear: bias (3) must be (4)"), ShapeError);
}

TEST_CASE("matmul and linear: NaN reaches exactly the outputs it feeds") {
  Tensor a = Tensor::from({1, NAN, 0, 1}, Shape{2, 2}), b = Tensor::from({1, 2, 3, 4}, Shape{2, 2});
  Tensor y = matmul(a, b);
  CHECK(std::isnan(y.at({0, 0})));
  CHECK(std::isnan(y.at({0, 1})));
  CHECK(y.at({1, 0}) == 3.f);
  CHECK(y.at({1, 1}) == 4.f);
  Tensor l =
      linear(Tensor::from({1, 2}, Shape{1, 2}), Tensor::ones(Shape{2, 2}), Tensor::from({NAN, 0}, Shape{2}));
  CHECK(std::isnan(l.at({0, 0})));
  CHECK(l.at({0, 1}) == 3.f);
}

TEST_CASE("matmul, bmm, linear: 1 and 2 threads give bitwise-identical results") {
  const Tensor a = random_input(Shape{4, 3, 8, 6}, 21), b = random_input(Shape{3, 6, 5}, 22);
  check_thread_determinism("matmul/broadcast", [](auto& in) { return matmul(in[0], in[1]); }, {a, b});
  const Tensor c = random_input(Shape{6, 8}, 23), d = random_input(Shape{9, 8, 5}, 24);
  check_thread_determinism("matmul/shared-a", [](auto& in) { return matmul(in[0], in[1]); }, {c, d});
  check_thread_determinism("bmm", [](auto& in) { return bmm(in[0], in[1]); },
                           {random_input(Shape{9, 4, 8}, 25), d});
  check_thread_determinism(
      "linear", [](auto& in) { return linear(in[0], in[1], in[2]); },
      {random_input(Shape{50, 8}, 26), random_input(Shape{30, 8}, 27), random_input(Shape{30}, 28)});
}
