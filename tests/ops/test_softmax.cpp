// softmax / log_softmax: double-precision references on both layouts (last axis, middle axis),
// stability, -inf and NaN handling, thread determinism, errors.
#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/softmax.hpp"

using namespace syn;
using namespace syn::testing;

namespace {
// Reference over x viewed as (outer, n, inner), softmax along n, in double.
ReferenceFn reference(int64_t outer, int64_t n, int64_t inner, bool log) {
  return [=](const std::vector<std::vector<double>>& in) {
    const std::vector<double>& x = in[0];
    std::vector<double> y(x.size());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        auto at = [&](int64_t j) { return (o * n + j) * inner + i; };
        double max = -INFINITY, sum = 0;
        for (int64_t j = 0; j < n; ++j) max = std::max(max, x[at(j)]);
        for (int64_t j = 0; j < n; ++j) sum += std::exp(x[at(j)] - max);
        for (int64_t j = 0; j < n; ++j)
          y[at(j)] = log ? x[at(j)] - max - std::log(sum) : std::exp(x[at(j)] - max) / sum;
      }
    return y;
  };
}

}  // namespace

TEST_CASE("softmax: gradients against a double-precision reference, last and middle axis") {
  const Tensor x = random_input(Shape{2, 3, 4}, 1, -3.f, 3.f);
  check_gradients(
      "softmax/last", [](auto& in) { return softmax(in[0], -1); }, {x}, with_reference(reference(6, 4, 1, false)));
  check_gradients(
      "softmax/middle", [](auto& in) { return softmax(in[0], 1); }, {x}, with_reference(reference(2, 3, 4, false)));
  check_gradients(
      "softmax/first", [](auto& in) { return softmax(in[0], 0); }, {x}, with_reference(reference(1, 2, 12, false)));
}

TEST_CASE("log_softmax: gradients against a double-precision reference, last and middle axis") {
  const Tensor x = random_input(Shape{2, 3, 4}, 2, -3.f, 3.f);
  check_gradients(
      "log_softmax/last", [](auto& in) { return log_softmax(in[0], 2); }, {x},
      with_reference(reference(6, 4, 1, true)));
  check_gradients(
      "log_softmax/middle", [](auto& in) { return log_softmax(in[0], -2); }, {x},
      with_reference(reference(2, 3, 4, true)));
}

TEST_CASE("softmax: long rows (several reduction blocks) sum to one and match the reference") {
  const Tensor x = random_input(Shape{2, 9000}, 3, -5.f, 5.f).detach();
  const Tensor y = softmax(x, -1), ly = log_softmax(x, -1);
  const std::vector<std::vector<double>> in{std::vector<double>(x.data(), x.data() + x.numel())};
  const auto ref = reference(2, 9000, 1, false)(in), lref = reference(2, 9000, 1, true)(in);
  for (int64_t r = 0; r < 2; ++r) {
    double sum = 0;
    for (int64_t j = 0; j < 9000; ++j) sum += y.data()[r * 9000 + j];
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
  }
  // Float rounding of exp, the blocked sum and the reciprocal: within 1e-5 relative, the bound the
  // gradient check applies to forward values.
  for (int64_t i = 0; i < x.numel(); ++i) {
    CHECK(std::fabs(y.data()[i] - ref[i]) <= 1e-5 * ref[i]);
    CHECK(std::fabs(ly.data()[i] - lref[i]) <= 1e-5 * std::fabs(lref[i]) + 1e-5);
  }
}

TEST_CASE("softmax: large inputs are stable") {
  Tensor x = Tensor::from({1000.f, 1001.f, 1002.f, -1000.f, 0.f, 1000.f}, Shape{2, 3});
  Tensor y = softmax(x, 1), l = log_softmax(x, 1);
  CHECK(y.at({0, 2}) == doctest::Approx(std::exp(2.0) / (1 + std::exp(1.0) + std::exp(2.0))));
  CHECK(y.at({1, 0}) == 0.f);
  CHECK(y.at({1, 2}) == 1.f);
  CHECK(l.at({1, 0}) == doctest::Approx(-2000.0));
  CHECK(l.at({0, 0}) == doctest::Approx(-2 - std::log(1 + std::exp(-1.0) + std::exp(-2.0))));
  // Along the first axis the same values give the same result (up to summation order: the
  // last-axis path sums in vector lanes, the strided path row by row).
  Tensor yt = softmax(Tensor::from({1000.f, -1000.f, 1001.f, 0.f, 1002.f, 1000.f}, Shape{3, 2}), 0);
  CHECK(yt.at({2, 0}) == doctest::Approx(y.at({0, 2})).epsilon(1e-6));
  CHECK(yt.at({0, 1}) == 0.f);
}

TEST_CASE("softmax: -inf entries get 0 (log: -inf), an all -inf slice gives NaN, like torch") {
  for (int64_t axis : {1, 0}) {
    // Rows (axis 1) or columns (axis 0, the same data transposed) of [-inf, 0, 0] and [-inf, -inf, -inf].
    Tensor x = axis == 1 ? Tensor::from({-INFINITY, 0, 0, -INFINITY, -INFINITY, -INFINITY}, Shape{2, 3})
                         : Tensor::from({-INFINITY, -INFINITY, 0, -INFINITY, 0, -INFINITY}, Shape{3, 2});
    Tensor y = softmax(x, axis), l = log_softmax(x, axis);
    auto at = [&](const Tensor& t, int64_t slice, int64_t j) {
      return axis == 1 ? t.at({slice, j}) : t.at({j, slice});
    };
    CHECK(at(y, 0, 0) == 0.f);
    CHECK(at(y, 0, 1) == 0.5f);
    CHECK(at(l, 0, 0) == -INFINITY);
    CHECK(at(l, 0, 2) == doctest::Approx(-std::log(2.0)));
    for (int64_t j = 0; j < 3; ++j) {
      CHECK(std::isnan(at(y, 1, j)));
      CHECK(std::isnan(at(l, 1, j)));
    }
  }
}

TEST_CASE("softmax: NaN poisons its slice only") {
  for (int64_t axis : {1, 0}) {
    Tensor x = Tensor::from({0, NAN, 1, 2}, Shape{2, 2});
    Tensor y = softmax(x, axis), l = log_softmax(x, axis);
    // axis 1: slice 0 is row {0, NaN}; axis 0: slice 1 is column {NaN, 2}.
    const std::vector<bool> poisoned =
        axis == 1 ? std::vector<bool>{true, true, false, false} : std::vector<bool>{false, true, false, true};
    for (int64_t i = 0; i < 4; ++i) {
      CHECK(std::isnan(y.data()[i]) == poisoned[i]);
      CHECK(std::isnan(l.data()[i]) == poisoned[i]);
    }
  }
}

TEST_CASE("softmax: 1 and 2 threads give bitwise-identical results") {
  const Tensor x = random_input(Shape{9, 7, 30}, 4, -4.f, 4.f);
  check_thread_determinism("softmax/last", [](auto& in) { return softmax(in[0], -1); }, {x});
  check_thread_determinism("softmax/middle", [](auto& in) { return softmax(in[0], 1); }, {x});
  check_thread_determinism("log_softmax/last", [](auto& in) { return log_softmax(in[0], -1); }, {x});
  check_thread_determinism("log_softmax/middle", [](auto& in) { return log_softmax(in[0], 1); }, {x});
}

TEST_CASE("softmax: bad axis, and a saved output modified in place") {
  Tensor x = Tensor::zeros(Shape{2, 3});
  CHECK_THROWS_WITH_AS(softmax(x, 2), doctest::Contains("softmax: axis 2 is out of range for shape (2, 3)"),
                       IndexError);
  CHECK_THROWS_WITH_AS(log_softmax(x, -3), doctest::Contains("log_softmax: axis -3"), IndexError);
  Tensor a = random_input(Shape{2, 3}, 5);
  Tensor y = softmax(a, 1);
  y.mutable_data()[0] = 0.f;
  CHECK_THROWS_WITH_AS(y.backward(Tensor::ones(Shape{2, 3})), doctest::Contains("SoftmaxBackward"),
                       AutogradError);
  Tape::current().clear();
}
