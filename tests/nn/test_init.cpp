#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/nn/init.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
struct Stats {
  double mean, var, max_abs;
};
Stats stats(const Tensor& t) {
  double sum = 0, sq = 0, max_abs = 0;
  for (float x : t.to_vector()) {
    sum += x;
    max_abs = std::max(max_abs, std::fabs(static_cast<double>(x)));
  }
  const double n = static_cast<double>(t.numel()), mean = sum / n;
  for (float x : t.to_vector()) sq += (x - mean) * (x - mean);
  return {mean, sq / (n - 1), max_abs};
}

// Samples of U(-bound, bound): all inside, the extremes reached, mean 0 and variance bound²/3 within
// 4 standard errors (SE of the mean b/sqrt(3n), of the variance sqrt(4/45)·b²/sqrt(n)).
void check_uniform(const Tensor& t, double bound) {
  CAPTURE(bound);
  const Stats s = stats(t);
  const double n = static_cast<double>(t.numel());
  CHECK(s.max_abs <= static_cast<float>(bound));
  CHECK(s.max_abs > 0.99 * bound);
  CHECK(std::fabs(s.mean) < 4 * bound / std::sqrt(3 * n));
  CHECK(std::fabs(s.var - bound * bound / 3) < 4 * std::sqrt(4.0 / 45) * bound * bound / std::sqrt(n));
}
}  // namespace

TEST_CASE("init: fan in and fan out as torch computes them") {
  CHECK(init::fans(Shape{7, 3}).fan_in == 3);
  CHECK(init::fans(Shape{7, 3}).fan_out == 7);
  CHECK(init::fans(Shape{8, 4, 3, 2}).fan_in == 24);
  CHECK(init::fans(Shape{8, 4, 3, 2}).fan_out == 48);
  CHECK_THROWS_WITH_AS(init::fans(Shape{5}), doctest::Contains("rank >= 2, got shape (5)"), ValueError);
}

TEST_CASE("init: kaiming_uniform_ bounds, with a = sqrt(5) as torch.nn.Linear") {
  Generator gen(1);
  Tensor w = Tensor::empty(Shape{400, 50});
  init::kaiming_uniform_(w, gen, std::sqrt(5.0));
  check_uniform(w, 1 / std::sqrt(50.0));
  init::kaiming_uniform_(w, gen);  // a = 0: bound sqrt(6 / fan_in)
  check_uniform(w, std::sqrt(6.0 / 50));
  init::kaiming_uniform_(w, gen, 1.0, init::FanMode::fan_out);  // gain 1: bound sqrt(3 / fan_out)
  check_uniform(w, std::sqrt(3.0 / 400));
}

TEST_CASE("init: linear_ draws weight and bias from U(-1/sqrt(in), 1/sqrt(in))") {
  Generator gen(2);
  Tensor w = Tensor::empty(Shape{250, 80}), b = Tensor::empty(Shape{20000});
  init::linear_(w, b, gen);
  check_uniform(w, 1 / std::sqrt(80.0));
  check_uniform(b, 1 / std::sqrt(80.0));
  Tensor none;
  init::linear_(w, none, gen);  // no bias: the weight alone
  check_uniform(w, 1 / std::sqrt(80.0));
}

TEST_CASE("init: recurrent_ uses 1/sqrt(hidden_size), xavier_uniform_ gain·sqrt(6/(in+out))") {
  Generator gen(3);
  Tensor w = Tensor::empty(Shape{4 * 64, 80});
  init::recurrent_(w, gen, 64);
  check_uniform(w, 1 / 8.0);
  Tensor in_proj = Tensor::empty(Shape{3 * 64, 64});
  init::xavier_uniform_(in_proj, gen);
  check_uniform(in_proj, std::sqrt(6.0 / (64 + 192)));
  init::xavier_uniform_(in_proj, gen, 2.0);
  check_uniform(in_proj, 2 * std::sqrt(6.0 / (64 + 192)));
  CHECK_THROWS_AS(init::recurrent_(w, gen, 0), ValueError);
}

TEST_CASE("init: normal_, uniform_ and constants") {
  Generator gen(4);
  Tensor t = Tensor::empty(Shape{20000});
  init::normal_(t, gen, 0.5, 0.02);
  const Stats s = stats(t);
  CHECK(std::fabs(s.mean - 0.5) < 4 * 0.02 / std::sqrt(20000.0));
  CHECK(std::fabs(std::sqrt(s.var) - 0.02) < 4 * 0.02 / std::sqrt(2 * 20000.0));
  init::uniform_(t, gen, 2.0, 3.0);
  for (float x : t.to_vector()) CHECK((x >= 2.f && x <= 3.f));
  CHECK(init::ones_(t).to_vector() == std::vector<float>(20000, 1.f));
  CHECK(init::zeros_(t).to_vector() == std::vector<float>(20000, 0.f));
  CHECK(init::constant_(t, -2.5).data()[19999] == -2.5f);
  CHECK_THROWS_AS(init::uniform_(t, gen, 1.0, 0.0), ValueError);
  CHECK_THROWS_AS(init::normal_(t, gen, 0.0, -1.0), ValueError);
  Tensor undefined;
  CHECK_THROWS_WITH_AS(init::zeros_(undefined), doctest::Contains("init::constant_"), ValueError);
}

TEST_CASE("init: same generator state gives the same values, and the version is bumped") {
  Tensor a = Tensor::empty(Shape{8, 8}), b = Tensor::empty(Shape{8, 8});
  Generator g1(9, 1), g2(9, 1), g3(9, 2);
  const uint64_t v = a.version();
  init::kaiming_uniform_(a, g1, std::sqrt(5.0));
  init::kaiming_uniform_(b, g2, std::sqrt(5.0));
  CHECK(a.version() > v);
  CHECK(a.to_vector() == b.to_vector());
  init::kaiming_uniform_(b, g3, std::sqrt(5.0));
  CHECK(a.to_vector() != b.to_vector());
}

TEST_CASE("init: dead entries of a masked tensor stay 0") {
  std::vector<uint8_t> live(60);
  for (size_t i = 0; i < live.size(); ++i) live[i] = i % 3 == 0;
  Tensor w = Tensor::empty(Shape{6, 10});
  w.set_mask(std::make_shared<Mask>(live));
  Generator gen(5);
  for (int round = 0; round < 3; ++round) {
    if (round == 0) init::xavier_uniform_(w, gen);
    if (round == 1) init::normal_(w, gen);
    if (round == 2) init::ones_(w);
    for (int64_t i = 0; i < 60; ++i)
      CHECK((live[static_cast<size_t>(i)] ? w.data()[i] != 0.f : w.data()[i] == 0.f));
  }
}
