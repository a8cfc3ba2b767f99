#include <doctest/doctest.h>

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/ops/matmul.hpp"

using namespace syn;
using namespace syn::nn;

TEST_CASE("Linear: torch's parameter names, shapes and initialisation bounds") {
  Generator gen(1);
  Linear m(16, 40, gen);
  const NamedTensors p = m.named_parameters();
  REQUIRE(p.size() == 2);
  CHECK(p[0].first == "weight");
  CHECK(p[0].second.shape() == Shape{40, 16});
  CHECK(p[1].first == "bias");
  CHECK(p[1].second.shape() == Shape{40});
  CHECK(m.in_features() == 16);
  CHECK(m.out_features() == 40);
  for (const auto& [_, t] : p) {
    CHECK(t.requires_grad());
    float max_abs = 0;
    for (float v : t.to_vector()) max_abs = std::max(max_abs, std::fabs(v));
    CHECK(max_abs <= 0.25f);  // 1 / sqrt(16) for both (kaiming a = sqrt(5) and the bias bound)
    CHECK(max_abs > 0.2f);
  }
}

TEST_CASE("Linear: forward is x times w transposed plus b over leading axes, bias optional") {
  Generator gen(2);
  Linear m(3, 2, gen);
  const Tensor x = Tensor::randn(Shape{4, 5, 3}, gen);
  const Tensor y = m.forward(x);
  CHECK(y.shape() == Shape{4, 5, 2});
  CHECK(y.to_vector() == linear(x, m.weight(), m.bias()).to_vector());
  Linear no_bias(3, 2, gen, false);
  CHECK(no_bias.named_parameters().size() == 1);
  CHECK_FALSE(no_bias.bias().defined());
  CHECK(no_bias.forward(x).to_vector() == linear(x, no_bias.weight()).to_vector());
}

TEST_CASE("Linear: bad sizes and inputs are typed errors") {
  Generator gen(3);
  CHECK_THROWS_AS(Linear(0, 2, gen), ValueError);
  Linear m(3, 2, gen);
  CHECK_THROWS_WITH_AS(m.forward(Tensor::zeros(Shape{4, 5})), doctest::Contains("(4, 5)"), ShapeError);
}
