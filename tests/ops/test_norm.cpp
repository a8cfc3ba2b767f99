// layer_norm and batch_norm: double-precision references, running statistics, thread determinism,
// NaN, errors.
#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/ops/norm.hpp"

using namespace syn;
using namespace syn::testing;

namespace {
constexpr double kEps = 1e-5;

// x: (rows, d) in in[0]; weight and bias (d) in in[1], in[2] when given.
ReferenceFn layer_norm_reference(int64_t rows, int64_t d, bool affine) {
  return [=](const std::vector<std::vector<double>>& in) {
    std::vector<double> y(in[0].size());
    for (int64_t r = 0; r < rows; ++r) {
      double mean = 0, var = 0;
      for (int64_t j = 0; j < d; ++j) mean += in[0][r * d + j] / d;
      for (int64_t j = 0; j < d; ++j) var += (in[0][r * d + j] - mean) * (in[0][r * d + j] - mean) / d;
      for (int64_t j = 0; j < d; ++j) {
        const double xhat = (in[0][r * d + j] - mean) / std::sqrt(var + kEps);
        y[r * d + j] = affine ? xhat * in[1][j] + in[2][j] : xhat;
      }
    }
    return y;
  };
}

// x: (n, c, l) in in[0]; weight, bias (c) in in[1], in[2] when given. Batch statistics, or the
// given running ones.
ReferenceFn batch_norm_reference(int64_t n, int64_t c, int64_t l, bool affine,
                                 std::vector<double> run_mean = {}, std::vector<double> run_var = {}) {
  return [=](const std::vector<std::vector<double>>& in) {
    std::vector<double> y(in[0].size());
    const std::vector<double>& x = in[0];
    for (int64_t ch = 0; ch < c; ++ch) {
      double mean = 0, var = 0;
      auto at = [&](int64_t i, int64_t j) { return (i * c + ch) * l + j; };
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < l; ++j) mean += x[at(i, j)] / (n * l);
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < l; ++j) var += (x[at(i, j)] - mean) * (x[at(i, j)] - mean) / (n * l);
      if (!run_mean.empty()) mean = run_mean[ch], var = run_var[ch];
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < l; ++j) {
          const double xhat = (x[at(i, j)] - mean) / std::sqrt(var + kEps);
          y[at(i, j)] = affine ? xhat * in[1][ch] + in[2][ch] : xhat;
        }
    }
    return y;
  };
}

}  // namespace

TEST_CASE("layer_norm: gradients for x, weight and bias against a double-precision reference") {
  const Tensor x = random_input(Shape{2, 3, 4}, 1, -2.f, 2.f);
  const Tensor w = random_input(Shape{4}, 2, 0.5f, 1.5f), b = random_input(Shape{4}, 3);
  check_gradients(
      "layer_norm/affine", [](auto& in) { return layer_norm(in[0], Shape{4}, in[1], in[2]); }, {x, w, b},
      with_reference(layer_norm_reference(6, 4, true)));
  check_gradients(
      "layer_norm/plain", [](auto& in) { return layer_norm(in[0], Shape{4}); }, {x},
      with_reference(layer_norm_reference(6, 4, false)));
  const Tensor w2 = random_input(Shape{3, 4}, 4, 0.5f, 1.5f), b2 = random_input(Shape{3, 4}, 5);
  check_gradients(
      "layer_norm/2-dims", [](auto& in) { return layer_norm_last(in[0], 2, in[1], in[2]); }, {x, w2, b2},
      with_reference(layer_norm_reference(2, 12, true)));
  check_gradients(
      "layer_norm/frozen-x", [](auto& in) { return layer_norm(in[0], Shape{4}, in[1], in[2]); },
      {x.detach(), w, b}, with_reference(layer_norm_reference(6, 4, true)));
}

TEST_CASE("layer_norm: rows come out with mean 0 and variance 1, long rows too") {
  const Tensor x = random_input(Shape{3, 9000}, 6, 5.f, 7.f).detach();
  const Tensor y = layer_norm(x, Shape{9000});
  for (int64_t r = 0; r < 3; ++r) {
    double mean = 0, var = 0;
    for (int64_t j = 0; j < 9000; ++j) mean += y.data()[r * 9000 + j] / 9000.0;
    for (int64_t j = 0; j < 9000; ++j) var += std::pow(y.data()[r * 9000 + j] - mean, 2) / 9000.0;
    CHECK(std::fabs(mean) < 1e-5);
    CHECK(var == doctest::Approx(1.0).epsilon(1e-4));  // (1 - eps / var) with var ≈ 1/3
  }
}

TEST_CASE("layer_norm: NaN poisons its row only, bad shapes name the op") {
  Tensor x = Tensor::from({1, NAN, 3, 1, 2, 3}, Shape{2, 3});
  Tensor y = layer_norm(x, Shape{3});
  for (int64_t j = 0; j < 3; ++j) {
    CHECK(std::isnan(y.at({0, j})));
    CHECK(!std::isnan(y.at({1, j})));
  }
  CHECK_THROWS_WITH_AS(
      layer_norm(x, Shape{4}),
      doctest::Contains(
          "layer_norm: normalized shape (4) is not the (non-empty) trailing part of x's shape (2, 3)"),
      ShapeError);
  CHECK_THROWS_AS(layer_norm(x, Shape{}), ShapeError);
  CHECK_THROWS_AS(layer_norm(x, Shape{1, 2, 3}), ShapeError);
  CHECK_THROWS_WITH_AS(layer_norm(x, Shape{3}, Tensor::ones(Shape{4})),
                       doctest::Contains("layer_norm: weight (4)"), ShapeError);
  CHECK_THROWS_WITH_AS(layer_norm(x, Shape{3}, Tensor(), Tensor::ones(Shape{1, 3})),
                       doctest::Contains("layer_norm: bias (1, 3)"), ShapeError);
  CHECK_THROWS_WITH_AS(layer_norm_last(x, 3), doctest::Contains("last 3 axes of shape (2, 3)"), IndexError);
  CHECK_THROWS_AS(layer_norm(x, Shape{3}, Tensor(), Tensor(), -1.f), ValueError);
}

TEST_CASE("batch_norm: training gradients against a double-precision reference, (N, C) and (N, C, L)") {
  const Tensor w = random_input(Shape{3}, 7, 0.5f, 1.5f), b = random_input(Shape{3}, 8);
  const Tensor x2 = random_input(Shape{6, 3}, 9, -2.f, 2.f), x3 = random_input(Shape{4, 3, 5}, 10, -2.f, 2.f);
  auto train = [](auto& in) { return batch_norm(in[0], Tensor(), Tensor(), in[1], in[2], true); };
  check_gradients("batch_norm/train-2d", train, {x2, w, b}, with_reference(batch_norm_reference(6, 3, 1, true)));
  check_gradients("batch_norm/train-3d", train, {x3, w, b}, with_reference(batch_norm_reference(4, 3, 5, true)));
  check_gradients(
      "batch_norm/train-plain",
      [](auto& in) { return batch_norm(in[0], Tensor(), Tensor(), Tensor(), Tensor(), true); }, {x3},
      with_reference(batch_norm_reference(4, 3, 5, false)));
}

TEST_CASE("batch_norm: training updates the running statistics with the unbiased variance") {
  const Tensor x = random_input(Shape{4, 3, 5}, 11, -2.f, 3.f).detach();
  Tensor rm = Tensor::from({0.1f, -0.2f, 0.3f}, Shape{3}), rv = Tensor::from({1.f, 2.f, 0.5f}, Shape{3});
  const std::vector<float> rm0 = rm.to_vector(), rv0 = rv.to_vector();
  batch_norm(x, rm, rv, Tensor(), Tensor(), true, 0.2f);
  for (int64_t c = 0; c < 3; ++c) {
    double mean = 0, ss = 0;
    for (int64_t n = 0; n < 4; ++n)
      for (int64_t l = 0; l < 5; ++l) mean += x.at({n, c, l}) / 20.0;
    for (int64_t n = 0; n < 4; ++n)
      for (int64_t l = 0; l < 5; ++l) ss += std::pow(x.at({n, c, l}) - mean, 2);
    CHECK(rm.data()[c] == doctest::Approx(0.8 * rm0[c] + 0.2 * mean).epsilon(1e-6));
    CHECK(rv.data()[c] == doctest::Approx(0.8 * rv0[c] + 0.2 * ss / 19).epsilon(1e-6));
  }
}

TEST_CASE("batch_norm: evaluation uses and keeps the running statistics") {
  const Tensor x = random_input(Shape{4, 3, 5}, 12, -2.f, 2.f);
  const Tensor w = random_input(Shape{3}, 13, 0.5f, 1.5f), b = random_input(Shape{3}, 14);
  Tensor rm = Tensor::from({0.1f, -0.2f, 0.3f}, Shape{3}), rv = Tensor::from({1.f, 2.f, 0.5f}, Shape{3});
  auto eval = [&](auto& in) { return batch_norm(in[0], rm, rv, in[1], in[2], false); };
  check_gradients("batch_norm/eval", eval, {x, w, b},
                  with_reference(batch_norm_reference(4, 3, 5, true, {0.1f, -0.2f, 0.3f}, {1.f, 2.f, 0.5f})));
  check_gradients("batch_norm/eval-2d", eval, {random_input(Shape{5, 3}, 15), w, b},
                  with_reference(batch_norm_reference(5, 3, 1, true, {0.1f, -0.2f, 0.3f}, {1.f, 2.f, 0.5f})));
  CHECK(rm.to_vector() == std::vector<float>{0.1f, -0.2f, 0.3f});
  CHECK(rv.to_vector() == std::vector<float>{1.f, 2.f, 0.5f});
  // A single sample is fine in evaluation.
  CHECK(batch_norm(Tensor::ones(Shape{1, 3}), rm, rv, Tensor(), Tensor(), false).at({0, 0}) ==
        doctest::Approx(0.9 / std::sqrt(1 + kEps)));
}

TEST_CASE("batch_norm: NaN poisons its channel only") {
  Tensor x = Tensor::from({1, 2, NAN, 4, 5, 6}, Shape{3, 2});
  Tensor y = batch_norm(x, Tensor(), Tensor(), Tensor(), Tensor(), true);
  for (int64_t n = 0; n < 3; ++n) {
    CHECK(std::isnan(y.at({n, 0})));
    CHECK(!std::isnan(y.at({n, 1})));
  }
}

TEST_CASE("batch_norm: bad inputs") {
  Tensor x = Tensor::zeros(Shape{4, 3});
  CHECK_THROWS_WITH_AS(batch_norm(Tensor::zeros(Shape{3}), Tensor(), Tensor(), Tensor(), Tensor(), true),
                       doctest::Contains("batch_norm: x (3) must be (N, C) or (N, C, L)"), ShapeError);
  CHECK_THROWS_WITH_AS(batch_norm(x, Tensor(), Tensor(), Tensor::ones(Shape{4}), Tensor(), true),
                       doctest::Contains("batch_norm: weight (4) must be (3) for x (4, 3)"), ShapeError);
  CHECK_THROWS_AS(batch_norm(x, Tensor::zeros(Shape{2}), Tensor::ones(Shape{2}), Tensor(), Tensor(), true),
                  ShapeError);
  CHECK_THROWS_WITH_AS(batch_norm(x, Tensor(), Tensor(), Tensor(), Tensor(), false),
                       doctest::Contains("evaluation mode needs running statistics"), ValueError);
  CHECK_THROWS_AS(batch_norm(x, Tensor::zeros(Shape{3}), Tensor(), Tensor(), Tensor(), true), ValueError);
  CHECK_THROWS_WITH_AS(batch_norm(Tensor::zeros(Shape{1, 3}), Tensor(), Tensor(), Tensor(), Tensor(), true),
                       doctest::Contains("more than one value per channel"), ValueError);
}

TEST_CASE("layer_norm and batch_norm: 1 and 2 threads give bitwise-identical results") {
  check_thread_determinism(
      "layer_norm", [](auto& in) { return layer_norm(in[0], Shape{5000}, in[1], in[2]); },
      {random_input(Shape{9, 5000}, 16), random_input(Shape{5000}, 17), random_input(Shape{5000}, 18)});
  const Tensor w = random_input(Shape{9}, 19), b = random_input(Shape{9}, 20);
  auto train = [](auto& in) { return batch_norm(in[0], Tensor(), Tensor(), in[1], in[2], true); };
  check_thread_determinism("batch_norm/3d", train, {random_input(Shape{20, 9, 300}, 21), w, b});
  check_thread_determinism("batch_norm/2d", train, {random_input(Shape{500, 9}, 22), w, b});
}
