#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/nn/linear_forecaster.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
ModelConfig config(int64_t lookback, int64_t horizon, int64_t features, const char* reg = "none") {
  ModelConfig c;
  c.kind = "linear";
  c.lookback = lookback;
  c.horizon = horizon;
  c.input_size = features;
  c.reg = reg;
  c.dropout = 0.5f;
  return c;
}
}  // namespace

TEST_CASE("LinearForecaster: parameters and shapes") {
  LinearForecaster m(config(5, 3, 2));
  const auto named = m.named_parameters();
  REQUIRE(named.size() == 2);
  CHECK(named[0].first == "weight");
  CHECK(named[0].second.shape() == Shape({3, 10}));
  CHECK(named[1].first == "bias");
  CHECK(m.num_parameters() == 33);
  Generator gen(2);
  CHECK(m.forward(Tensor::randn(Shape{4, 5, 2}, gen)).shape() == Shape({4, 3}));
  CHECK_THROWS_WITH_AS(m.forward(Tensor::zeros(Shape{4, 6, 2})), doctest::Contains("expected (N, 5, 2)"),
                       ShapeError);
  // torch.nn.Linear's bound 1 / sqrt(fan_in)
  for (float w : m.weight().to_vector()) CHECK(std::fabs(w) <= 1.f / std::sqrt(10.f));
}

TEST_CASE("LinearForecaster: y = W * (x - last) + b + last target value") {
  LinearForecaster m(config(3, 2, 2));
  Tensor w = m.weight(), b = m.bias();
  {
    NoGradGuard g;
    w.copy_(Tensor::from({1, 0, 0, 2, 0, 0,  //
                          0, 0, 0, 0, 0, 1},
                         Shape{2, 6}));
    b.copy_(Tensor::from({0.5f, -1.f}, Shape{2}));
  }
  // one window: rows (target, feature) = (1, 10), (2, 20), (4, 40); last = (4, 40)
  const Tensor x = Tensor::from({1, 10, 2, 20, 4, 40}, Shape{1, 3, 2});
  const std::vector<float> y = m.forward(x).to_vector();
  // centred: (-3, -30), (-2, -20), (0, 0)
  CHECK(y[0] == doctest::Approx(-3 + 2 * -20 + 0.5 + 4));  // lag 0 target, lag 1 feature
  CHECK(y[1] == doctest::Approx(0 - 1 + 4));
  // With W = 0 and b = 0 it is the naive forecast.
  {
    NoGradGuard g;
    w.zero_();
    b.zero_();
  }
  CHECK(m.forward(x).to_vector() == std::vector<float>{4.f, 4.f});
}

TEST_CASE("LinearForecaster: gradients of the input and the parameters") {
  LinearForecaster m(config(4, 3, 2));
  syn::testing::check_gradients("LinearForecaster",
                                [&](const std::vector<Tensor>& in) { return m.forward(in[0]); },
                                {syn::testing::random_input(Shape{3, 4, 2}, 1)});
  m.zero_grad();
  Generator gen(3);
  const Tensor x = Tensor::randn(Shape{6, 4, 2}, gen);
  m.forward(x).backward(Tensor::ones(Shape{6, 3}));
  // With a seed of ones: dL/db[h] = N and dL/dW[h, l·F + f] = sum_n (x[n, l, f] - x[n, L-1, f]).
  for (float g : m.bias().grad().to_vector()) CHECK(g == doctest::Approx(6.f));
  const std::vector<float> dw = m.weight().grad().to_vector();
  for (int64_t k = 0; k < 8; ++k) {
    const int64_t l = k / 2, f = k % 2;
    double want = 0;
    for (int64_t n = 0; n < 6; ++n) want += x.at({n, l, f}) - x.at({n, 3, f});
    for (int64_t h = 0; h < 3; ++h)
      CHECK(dw[static_cast<size_t>(h * 8 + k)] == doctest::Approx(want).epsilon(1e-5));
  }
}

TEST_CASE("LinearForecaster: dropout acts in training mode only, and only when regularised") {
  Generator gen(5);
  const Tensor x = Tensor::randn(Shape{8, 6, 1}, gen);
  LinearForecaster plain(config(6, 2, 1));
  CHECK(plain.forward(x).to_vector() == plain.forward(x).to_vector());
  LinearForecaster dropped(config(6, 2, 1, "dropout"));
  CHECK(dropped.forward(x).to_vector() != dropped.forward(x).to_vector());
  dropped.eval();
  CHECK(dropped.forward(x).to_vector() == dropped.forward(x).to_vector());
  LinearForecaster same_seed(config(6, 2, 1, "dropout"));
  same_seed.eval();
  CHECK(same_seed.forward(x).to_vector() == dropped.forward(x).to_vector());
}
