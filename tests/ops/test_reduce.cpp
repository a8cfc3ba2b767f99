// Reductions: values, gradients, the first-maximum rule, block order, determinism, empty and bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "op_checks.hpp"
#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"
#include "synapse/ops/reduce.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

// A reduction of x (shape s) over `axes` in double: each output gets f(the elements reduced into it).
ReferenceFn reduce_ref(const Shape& s, std::vector<int64_t> axes, double (*f)(const std::vector<double>&)) {
  return [s, axes, f](const std::vector<std::vector<double>>& in) {
    std::vector<int64_t> keep = s.dims();
    for (int64_t a : axes) keep[a] = 1;
    const Shape k(keep);
    std::vector<std::vector<double>> groups(static_cast<size_t>(k.numel()));
    for (int64_t i = 0; i < s.numel(); ++i) {
      // Position of element i in the keep shape: drop its indices along the reduced axes.
      int64_t rest = i, out = 0, stride = 1;
      for (int64_t d = s.rank() - 1; d >= 0; --d) {
        const int64_t index = rest % s[d];
        rest /= s[d];
        if (keep[d] != 1) out += index * stride;
        stride *= keep[d];
      }
      groups[out].push_back(in[0][i]);
    }
    std::vector<double> y;
    for (const auto& g : groups) y.push_back(f(g));
    return y;
  };
}

double ref_sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
double ref_mean(const std::vector<double>& v) { return ref_sum(v) / v.size(); }
double ref_max(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
double ref_var(const std::vector<double>& v) {
  double m = ref_mean(v), s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / (v.size() - 1);
}
double ref_var_biased(const std::vector<double>& v) { return ref_var(v) * (v.size() - 1) / v.size(); }

std::vector<int64_t> all_axes(const Shape& s) {
  std::vector<int64_t> axes(static_cast<size_t>(s.rank()));
  std::iota(axes.begin(), axes.end(), int64_t{0});
  return axes;
}

}  // namespace

TEST_CASE("reductions: output shapes, negative axes, keepdim") {
  const Tensor x = Tensor::zeros(Shape{2, 3, 4});
  CHECK(sum(x).shape() == Shape{});
  CHECK(sum(x, 1).shape() == Shape{2, 4});
  CHECK(sum(x, -1).shape() == Shape{2, 3});
  CHECK(sum(x, -3, true).shape() == Shape{1, 3, 4});
  CHECK(sum(x, {0, 2}).shape() == Shape{3});
  CHECK(sum(x, {2, -3}, true).shape() == Shape{1, 3, 1});
  CHECK(sum(x, std::vector<int64_t>{}).shape() == Shape{2, 3, 4});
  CHECK(mean(x, {1, 2}).shape() == Shape{2});
  CHECK(max(x, 0).shape() == Shape{3, 4});
  CHECK(max(x, 2, true).shape() == Shape{2, 3, 1});
  CHECK(var(x).shape() == Shape{});
  CHECK(var(x, 1).shape() == Shape{2, 4});
  CHECK(var(x, -1, false, true).shape() == Shape{2, 3, 1});
  CHECK(sum(Tensor::scalar(3.f)).item() == 3.f);
  CHECK(max(Tensor::scalar(3.f)).item() == 3.f);
}

TEST_CASE("sum and mean: gradients over all elements, one axis and several axes") {
  const Shape s{2, 3, 4};
  const Tensor x = random_input(s, 31);
  const std::vector<std::vector<int64_t>> axis_sets = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
  for (const auto& axes : axis_sets) {
    for (bool keepdim : {false, true}) {
      const std::string suffix =
          " over " + std::to_string(axes.size()) + " axes from " + std::to_string(axes[0]);
      check_gradients(
          "sum" + suffix, [&](auto& v) { return sum(v[0], axes, keepdim); }, {x},
          with_reference(reduce_ref(s, axes, ref_sum)));
      check_gradients(
          "mean" + suffix, [&](auto& v) { return mean(v[0], axes, keepdim); }, {x},
          with_reference(reduce_ref(s, axes, ref_mean)));
    }
  }
  check_gradients(
      "sum axis -1", [](auto& v) { return sum(v[0], -1); }, {x}, with_reference(reduce_ref(s, {2}, ref_sum)));
  check_gradients(
      "mean axis -2", [](auto& v) { return mean(v[0], -2, true); }, {x}, with_reference(reduce_ref(s, {1}, ref_mean)));
  check_gradients(
      "sum all", [](auto& v) { return sum(v[0]); }, {x}, with_reference(reduce_ref(s, all_axes(s), ref_sum)));
  check_gradients(
      "mean all", [](auto& v) { return mean(v[0]); }, {x}, with_reference(reduce_ref(s, all_axes(s), ref_mean)));
  check_gradients(
      "sum no axes", [](auto& v) { return sum(v[0], std::vector<int64_t>{}); }, {x},
      with_reference(reduce_ref(s, {}, ref_sum)));
}

TEST_CASE("max and var: gradients over all elements and along each axis") {
  const Shape s{3, 4, 5};
  const Tensor x = random_input(s, 32, -2.f, 2.f);
  for (int64_t axis = -3; axis < 3; ++axis) {
    const std::vector<int64_t> axes{axis < 0 ? axis + 3 : axis};
    const std::string at = " axis " + std::to_string(axis);
    check_gradients(
        "max" + at, [axis](auto& v) { return max(v[0], axis); }, {x}, with_reference(reduce_ref(s, axes, ref_max)));
    check_gradients(
        "var" + at, [axis](auto& v) { return var(v[0], axis); }, {x}, with_reference(reduce_ref(s, axes, ref_var)));
    check_gradients(
        "var biased" + at, [axis](auto& v) { return var(v[0], axis, false, true); }, {x},
        with_reference(reduce_ref(s, axes, ref_var_biased)));
  }
  check_gradients(
      "max all", [](auto& v) { return max(v[0]); }, {x}, with_reference(reduce_ref(s, all_axes(s), ref_max)));
  check_gradients(
      "var all", [](auto& v) { return var(v[0]); }, {x}, with_reference(reduce_ref(s, all_axes(s), ref_var)));
  check_gradients(
      "var all biased", [](auto& v) { return var(v[0], false); }, {x},
      with_reference(reduce_ref(s, all_axes(s), ref_var_biased)));
  check_gradients("var/float", [](auto& v) { return var(v[0], 1); }, {x});
}

TEST_CASE("max: the gradient goes to the first maximal element") {
  Tensor x = Tensor::from({1.f, 3.f, 3.f, 2.f}, Shape{4}).set_requires_grad();
  Tensor y = max(x);
  CHECK(y.item() == 3.f);
  y.backward();
  CHECK(x.grad().to_vector() == std::vector<float>{0.f, 1.f, 0.f, 0.f});
  // Along an axis with ties, strided (axis 0) and contiguous (axis 1).
  Tensor m = Tensor::from({5.f, 1.f, 2.f,  //
                           5.f, 7.f, 2.f,  //
                           0.f, 7.f, 2.f},
                          Shape{3, 3})
                 .set_requires_grad();
  max(m, 0).backward(Tensor::from({1.f, 2.f, 3.f}, Shape{3}));
  CHECK(m.grad().to_vector() == std::vector<float>{1, 0, 3, 0, 2, 0, 0, 0, 0});
  m.zero_grad();
  max(m, 1).backward(Tensor::from({1.f, 2.f, 3.f}, Shape{3}));
  CHECK(m.grad().to_vector() == std::vector<float>{1, 0, 0, 0, 2, 0, 0, 3, 0});
  // A tie between the last element of one block and a later block: the earlier wins.
  const int64_t n = kReduceBlock + 10;
  std::vector<float> values(n, 0.f);
  values[kReduceBlock - 1] = 4.f;
  values[kReduceBlock + 5] = 4.f;
  Tensor big = Tensor::from(values, Shape{n}).set_requires_grad();
  max(big).backward();
  CHECK(big.grad().data()[kReduceBlock - 1] == 1.f);
  CHECK(big.grad().data()[kReduceBlock + 5] == 0.f);
}

TEST_CASE("max: all -inf still picks the first element") {
  Tensor x = Tensor::full(Shape{2, 3}, -INFINITY).set_requires_grad();
  Tensor y = max(x, 1);
  CHECK(y.to_vector() == std::vector<float>{-INFINITY, -INFINITY});
  y.backward(Tensor::ones(Shape{2}));
  CHECK(x.grad().to_vector() == std::vector<float>{1, 0, 0, 1, 0, 0});
}

TEST_CASE("var: unbiased by default, biased on request, one element unbiased is NaN") {
  const Tensor x = Tensor::from({1.f, 2.f, 3.f, 4.f}, Shape{2, 2});
  CHECK(var(x).item() == doctest::Approx(5.0 / 3.0));
  CHECK(var(x, false).item() == doctest::Approx(1.25));
  CHECK(var(x, 0).to_vector() == std::vector<float>{2.f, 2.f});
  CHECK(var(x, 1, false).to_vector() == std::vector<float>{0.25f, 0.25f});
  CHECK(std::isnan(var(Tensor::ones(Shape{1}), true).item()));
  CHECK(var(Tensor::ones(Shape{1}), false).item() == 0.f);
}

TEST_CASE("sum adds fixed blocks in index order (Note [Reduction order])") {
  const auto& k = kernels::elementwise_kernels();
  const int64_t n = 3 * kReduceBlock + 5;
  const Tensor x = random_input(Shape{n}, 33);
  float total = 0.f;
  for (int64_t b = 0; b < n; b += kReduceBlock) total += k.sum(x.data() + b, std::min(kReduceBlock, n - b));
  const float got = sum(x).item();
  CHECK(std::memcmp(&got, &total, sizeof(float)) == 0);
}

TEST_CASE("reductions: large inputs match double precision") {
  const int64_t n = 3 * kReduceBlock + 5;
  const Shape s{3, n};
  const Tensor x = random_input(s, 34, 0.f, 2.f);
  std::vector<double> v(x.data(), x.data() + x.numel());
  const auto check = [&](const Tensor& y, const ReferenceFn& ref) {
    const auto expected = ref({v});
    REQUIRE(static_cast<int64_t>(expected.size()) == y.numel());
    for (int64_t i = 0; i < y.numel(); ++i) CHECK(y.data()[i] == doctest::Approx(expected[i]).epsilon(1e-5));
  };
  check(sum(x, 1), reduce_ref(s, {1}, ref_sum));
  check(sum(x, 0), reduce_ref(s, {0}, ref_sum));
  check(mean(x), reduce_ref(s, {0, 1}, ref_mean));
  check(max(x, 1), reduce_ref(s, {1}, ref_max));
  check(var(x, 1), reduce_ref(s, {1}, ref_var));
  check(var(x, 0), reduce_ref(s, {0}, ref_var));
  const Tensor t = random_input(Shape{n, 3}, 35, 0.f, 2.f);
  std::vector<double> w(t.data(), t.data() + t.numel());
  const auto expected = reduce_ref(Shape{n, 3}, {0}, ref_var)({w});
  const Tensor got = var(t, 0);
  for (int64_t j = 0; j < 3; ++j) CHECK(got.data()[j] == doctest::Approx(expected[j]).epsilon(1e-5));
}

TEST_CASE("reductions: 1 and 2 threads give bitwise-identical results") {
  const int64_t n = 2 * kReduceBlock + 17;
  const Tensor wide = random_input(Shape{3, n}, 36), tall = random_input(Shape{n, 3}, 37);
  for (const Tensor& x : {wide, tall}) {
    for (int64_t axis : {0, 1}) {
      check_thread_determinism("sum", [axis](auto& v) { return sum(v[0], axis); }, {x});
      check_thread_determinism("mean", [axis](auto& v) { return mean(v[0], axis); }, {x});
      check_thread_determinism("max", [axis](auto& v) { return max(v[0], axis); }, {x});
      check_thread_determinism("var", [axis](auto& v) { return var(v[0], axis); }, {x});
    }
    check_thread_determinism("sum all", [](auto& v) { return sum(v[0]); }, {x});
    check_thread_determinism("mean all", [](auto& v) { return mean(v[0]); }, {x});
    check_thread_determinism("max all", [](auto& v) { return max(v[0]); }, {x});
    check_thread_determinism("var all", [](auto& v) { return var(v[0]); }, {x});
  }
  const Tensor cube = random_input(Shape{40, 30, 20}, 38);
  check_thread_determinism("sum axes", [](auto& v) { return sum(v[0], {0, 2}); }, {cube});
  check_thread_determinism("mean axes", [](auto& v) { return mean(v[0], {0, 1}, true); }, {cube});
}

TEST_CASE("reductions of empty tensors: sum is 0, the others are ValueErrors naming the op and shape") {
  const Tensor e = Tensor::zeros(Shape{0, 3});
  CHECK(sum(e).item() == 0.f);
  CHECK(sum(e, 0).to_vector() == std::vector<float>{0.f, 0.f, 0.f});
  CHECK(sum(e, 1).shape() == Shape{0});
  CHECK(mean(e, 1).shape() == Shape{0});
  CHECK(max(e, 1).shape() == Shape{0});
  Tensor g = Tensor::zeros(Shape{0, 3}).set_requires_grad();
  sum(g, 0).backward(Tensor::ones(Shape{3}));
  CHECK(g.grad().shape() == Shape{0, 3});
  check_error<ValueError>([&] { mean(e); }, {"mean", "(0, 3)"});
  check_error<ValueError>([&] { mean(e, 0); }, {"mean", "(0, 3)"});
  check_error<ValueError>([&] { mean(e, {0, 1}); }, {"mean", "(0, 3)"});
  check_error<ValueError>([&] { max(e); }, {"max", "(0, 3)"});
  check_error<ValueError>([&] { max(e, 0); }, {"max", "(0, 3)"});
  check_error<ValueError>([&] { var(e); }, {"var", "(0, 3)"});
  check_error<ValueError>([&] { var(e, 0); }, {"var", "(0, 3)"});
}

TEST_CASE("reductions: bad axes are IndexErrors naming the op, the axis and the shape") {
  const Tensor x = Tensor::zeros(Shape{2, 3});
  check_error<IndexError>([&] { sum(x, 2); }, {"sum", "2", "(2, 3)"});
  check_error<IndexError>([&] { sum(x, {0, 5}); }, {"sum", "5", "(2, 3)"});
  check_error<IndexError>([&] { mean(x, -3); }, {"mean", "-3", "(2, 3)"});
  check_error<IndexError>([&] { max(x, 2); }, {"max", "2", "(2, 3)"});
  check_error<IndexError>([&] { var(x, -3); }, {"var", "-3", "(2, 3)"});
  check_error<IndexError>([&] { sum(x, {1, -1}); }, {"sum", "twice", "[1, -1]", "(2, 3)"});
  check_error<IndexError>([&] { mean(x, {0, 0}); }, {"mean", "twice", "(2, 3)"});
  check_error<IndexError>([&] { sum(Tensor::scalar(1.f), 0); }, {"sum", "()"});
}

TEST_CASE("reductions: NaN in gives NaN out, only where it is reduced") {
  const Tensor x = Tensor::from({1.f, NAN, 3.f, 4.f, 5.f, 6.f}, Shape{2, 3});
  CHECK(std::isnan(sum(x).item()));
  CHECK(std::isnan(mean(x).item()));
  CHECK(std::isnan(max(x).item()));
  CHECK(std::isnan(var(x).item()));
  for (const Tensor& y : {sum(x, 1), mean(x, 1), max(x, 1), var(x, 1)}) {
    CHECK(std::isnan(y.data()[0]));
    CHECK(!std::isnan(y.data()[1]));
  }
  for (const Tensor& y : {sum(x, 0), mean(x, 0), max(x, 0), var(x, 0)}) {
    CHECK(!std::isnan(y.data()[0]));
    CHECK(std::isnan(y.data()[1]));
  }
  // max: the NaN wins even after a larger value, and takes the gradient.
  Tensor m = Tensor::from({9.f, NAN, 1.f, NAN}, Shape{4}).set_requires_grad();
  max(m).backward();
  CHECK(m.grad().to_vector() == std::vector<float>{0.f, 1.f, 0.f, 0.f});
  Tensor c = Tensor::from({9.f, 1.f, NAN, 2.f, 3.f, NAN}, Shape{3, 2}).set_requires_grad();
  const Tensor cm = max(c, 0);
  CHECK(std::isnan(cm.data()[0]));
  CHECK(std::isnan(cm.data()[1]));
  cm.backward(Tensor::ones(Shape{2}));
  CHECK(c.grad().to_vector() == std::vector<float>{0, 0, 1, 0, 0, 1});
}
