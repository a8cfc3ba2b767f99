#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/clip.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
Tensor param_with_grad(const std::vector<float>& grad) {
  Tensor p = Tensor::zeros(Shape{static_cast<int64_t>(grad.size())}).set_requires_grad();
  p.set_grad(Tensor::from(grad, p.shape()));
  return p;
}
}  // namespace

TEST_CASE("clip_grad_norm_: scales every gradient by max_norm / (total + 1e-6) and returns the total") {
  Tensor a = param_with_grad({3.f, 0.f}), b = param_with_grad({-4.f}), none = Tensor::zeros(Shape{2});
  const double total = clip_grad_norm_({a, b, none}, 2.5);
  CHECK(total == 5.0);
  const float coef = static_cast<float>(2.5 / (5.0 + 1e-6));
  CHECK(a.grad().to_vector() == std::vector<float>{3.f * coef, 0.f});
  CHECK(b.grad().to_vector() == std::vector<float>{-4.f * coef});
  CHECK(!none.grad().defined());
}

TEST_CASE("clip_grad_norm_: leaves gradients under the limit untouched") {
  Tensor a = param_with_grad({3.f, 4.f});
  const uint64_t version = a.grad().version();
  CHECK(clip_grad_norm_({a}, 6.0) == 5.0);
  CHECK(a.grad().to_vector() == std::vector<float>{3.f, 4.f});
  CHECK(a.grad().version() == version);
  CHECK(clip_grad_norm_({Tensor::zeros(Shape{1}).set_requires_grad()}, 1.0) == 0.0);
}

TEST_CASE("clip_grad_norm_: other orders") {
  Tensor a = param_with_grad({1.f, -2.f}), b = param_with_grad({-3.f});
  CHECK(clip_grad_norm_({a, b}, 100.0, 1.0) == 6.0);
  CHECK(clip_grad_norm_({a, b}, 100.0, INFINITY) == 3.0);
  CHECK(clip_grad_norm_({a, b}, 100.0, 3.0) == doctest::Approx(std::cbrt(36.0)).epsilon(1e-14));
  clip_grad_norm_({a, b}, 1.5, INFINITY);
  CHECK(b.grad().data()[0] == static_cast<float>(-3.0 * (1.5 / (3.0 + 1e-6))));
  CHECK_THROWS_WITH_AS(clip_grad_norm_({a}, 1.0, 0.0), doctest::Contains("norm_type must be positive"),
                       ValueError);
  CHECK_THROWS_AS(clip_grad_norm_({a}, -1.0), ValueError);
}

TEST_CASE("clip_grad_norm_: a NaN total throws on request, else propagates (live entries only)") {
  Tensor a = param_with_grad({NAN, 1.f});
  CHECK_THROWS_WITH_AS(clip_grad_norm_({a}, 1.0, 2.0, true), doctest::Contains("the gradients is nan"),
                       ValueError);
  CHECK(a.grad().data()[1] == 1.f);  // nothing written before the error
  CHECK(std::isnan(clip_grad_norm_({a}, 1.0, INFINITY)));

  Tensor masked = Tensor::zeros(Shape{4}).set_requires_grad();
  masked.set_mask(std::make_shared<Mask>(std::vector<uint8_t>{1, 0, 1, 0}));
  masked.set_grad(Tensor::from({2.f, 0.f, NAN, 0.f}, Shape{4}));
  CHECK(std::isnan(clip_grad_norm_({masked}, 1.0)));
  const float* g = masked.grad().data();
  CHECK(std::isnan(g[0]));
  CHECK(g[1] == 0.f);  // Note [Mask invariants] 3: dead gradient entries stay 0
  CHECK(g[3] == 0.f);
}

TEST_CASE("clip_grad_norm_: masked gradients count and scale live entries only") {
  Tensor p = Tensor::zeros(Shape{3}).set_requires_grad();
  p.set_mask(std::make_shared<Mask>(std::vector<uint8_t>{1, 0, 1}));
  p.set_grad(Tensor::from({6.f, 0.f, 8.f}, Shape{3}));
  CHECK(clip_grad_norm_({p}, 5.0) == 10.0);
  const float coef = static_cast<float>(5.0 / (10.0 + 1e-6));
  CHECK(p.grad().to_vector() == std::vector<float>{6.f * coef, 0.f, 8.f * coef});
}

TEST_CASE("clip_grad_norm_: 1 and 2 threads give the same bits") {
  Generator gen(3);
  const Shape shape{3 * kReduceBlock + 17};
  const Tensor grad = Tensor::randn(shape, gen);
  const auto mask = std::make_shared<Mask>(std::vector<uint8_t>(static_cast<size_t>(shape.numel()), 1));
  const int before = num_threads();
  for (bool masked : {false, true}) {
    std::vector<double> totals;
    std::vector<std::vector<float>> grads;
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      Tensor p = Tensor::zeros(shape).set_requires_grad();
      if (masked) p.set_mask(mask);
      p.set_grad(grad.clone());
      totals.push_back(clip_grad_norm_({p}, 1.0));
      grads.push_back(p.grad().to_vector());
    }
    set_num_threads(before);
    CHECK(std::memcmp(&totals[0], &totals[1], sizeof(double)) == 0);
    CHECK(grads[0] == grads[1]);
    CHECK(totals[0] == doctest::Approx(std::sqrt(static_cast<double>(shape.numel()))).epsilon(0.02));
  }
}

TEST_CASE("clip_grad_value_: clamps every entry, NaN stays NaN") {
  Tensor a = param_with_grad({-3.f, 0.5f, 2.f, NAN});
  clip_grad_value_({a, Tensor::zeros(Shape{1})}, 1.0);
  const float* g = a.grad().data();
  CHECK(g[0] == -1.f);
  CHECK(g[1] == 0.5f);
  CHECK(g[2] == 1.f);
  CHECK(std::isnan(g[3]));
  CHECK_THROWS_WITH_AS(clip_grad_value_({a}, -1.0), doctest::Contains("clip_value must be >= 0"), ValueError);
}
