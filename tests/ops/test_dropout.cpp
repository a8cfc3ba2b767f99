// dropout: keep rate and scaling, reproducibility, independence from the thread count, gradient,
// identity cases, NaN, bad p.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/ops/dropout.hpp"

using namespace syn;
using namespace syn::testing;

namespace {
bool bitwise_equal(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), sizeof(float) * a.numel()) == 0;
}
}  // namespace

TEST_CASE("dropout: keeps 1 - p of the elements, scaled by 1 / (1 - p)") {
  const int64_t n = 200000;
  for (float p : {0.1f, 0.3f, 0.75f}) {
    Generator gen(7);
    Tensor y = dropout(Tensor::ones(Shape{n}), p, true, gen);
    int64_t kept = 0, badly_scaled = 0;
    for (int64_t i = 0; i < n; ++i) {
      const float v = y.data()[i];
      kept += v != 0.f;
      badly_scaled += v != 0.f && v != 1.f / (1.f - p);
    }
    CHECK(badly_scaled == 0);
    // Binomial(n, 1 - p): 5 standard deviations.
    const double rate = static_cast<double>(kept) / n, sd = std::sqrt(p * (1.0 - p) / n);
    CHECK(std::fabs(rate - (1.0 - p)) < 5 * sd);
  }
}

TEST_CASE("dropout: masks of different blocks are independent streams") {
  // Two 4096-element blocks (Note [Dropout streams]) must not repeat each other.
  Generator gen(3);
  Tensor y = dropout(Tensor::ones(Shape{2 * kReduceBlock}), 0.5f, true, gen);
  CHECK(std::memcmp(y.data(), y.data() + kReduceBlock, sizeof(float) * kReduceBlock) != 0);
  int64_t agree = 0;
  for (int64_t i = 0; i < kReduceBlock; ++i) agree += (y.data()[i] == y.data()[i + kReduceBlock]);
  CHECK(std::fabs(static_cast<double>(agree) / kReduceBlock - 0.5) < 5 * 0.5 / std::sqrt(kReduceBlock));
}

TEST_CASE("dropout: reproducible from the generator state, and the generator advances") {
  const Tensor x = random_input(Shape{3, 5000}, 1).detach();
  Generator g1(11), g2(11), g3(12);
  const Tensor a = dropout(x, 0.4f, true, g1), b = dropout(x, 0.4f, true, g2), c = dropout(x, 0.4f, true, g3);
  CHECK(bitwise_equal(a, b));
  CHECK(!bitwise_equal(a, c));
  CHECK(!bitwise_equal(dropout(x, 0.4f, true, g1), a));  // next call, next mask
  dropout(x, 0.4f, true, g2);                            // one draw per call: g1 and g2 are in step again
  CHECK(g1.next_u64() == g2.next_u64());
}

TEST_CASE("dropout: the mask does not depend on the thread count") {
  const Tensor x = random_input(Shape{5, 3000}, 2);
  check_thread_determinism("dropout",
                           [](auto& in) {
                             Generator gen(5);
                             return dropout(in[0], 0.5f, true, gen);
                           },
                           {x});
}

TEST_CASE("dropout: gradient is the mask times the scale") {
  const Tensor x = random_input(Shape{4, 6}, 3);
  check_gradients("dropout",
                  [](auto& in) {
                    Generator gen(9);
                    return dropout(in[0], 0.3f, true, gen);
                  },
                  {x});
  Tensor leaf = x.detach().clone().set_requires_grad();
  Generator gen(9);
  Tensor y = dropout(leaf, 0.3f, true, gen);
  y.backward(Tensor::ones(y.shape()));
  for (int64_t i = 0; i < y.numel(); ++i)
    CHECK(leaf.grad().data()[i] == (y.data()[i] == 0.f ? 0.f : 1.f / 0.7f));
}

TEST_CASE("dropout: identity when not training or p == 0, without drawing") {
  const Tensor x = random_input(Shape{10}, 4);
  Generator gen(1), untouched(1);
  CHECK(dropout(x, 0.5f, false, gen).same(x));
  CHECK(dropout(x, 0.f, true, gen).same(x));
  CHECK(gen.next_u64() == untouched.next_u64());
}

TEST_CASE("dropout: NaN stays NaN, kept or dropped (0 times NaN)") {
  Generator gen(2);
  Tensor y = dropout(Tensor::full(Shape{64}, NAN), 0.5f, true, gen);
  for (int64_t i = 0; i < 64; ++i) CHECK(std::isnan(y.data()[i]));
}

TEST_CASE("dropout: p outside 0 <= p < 1 is a ValueError naming the op") {
  Generator gen(0);
  Tensor x = Tensor::ones(Shape{2, 2});
  CHECK_THROWS_WITH_AS(dropout(x, 1.f, true, gen),
                       doctest::Contains("dropout: p = 1 must be in [0, 1) (x (2, 2))"), ValueError);
  CHECK_THROWS_AS(dropout(x, -0.1f, true, gen), ValueError);
  CHECK_THROWS_AS(dropout(x, NAN, true, gen), ValueError);
  CHECK_THROWS_AS(dropout(x, 1.5f, false, gen), ValueError);
}

TEST_CASE("dropout: a generator given another's state draws what that one draws next") {
  Generator a(21, 3);
  a.normal();  // leaves a spare normal in the state
  Generator b(99);
  b.set_state(a.state());
  CHECK(b.seed() == 21);
  CHECK(b.stream() == 3);
  CHECK(b.normal() == a.normal());  // the spare
  for (int i = 0; i < 5; ++i) CHECK(b.next_u64() == a.next_u64());
  const Tensor x = random_input(Shape{2, 500}, 4).detach();
  CHECK(bitwise_equal(dropout(x, 0.3f, true, a), dropout(x, 0.3f, true, b)));
}
