// Composed expressions against PyTorch: forward values and every input gradient, from the fixture
// files written by tools/fixtures/make_op_fixtures.py (the expressions there mirror these lambdas).
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "support/fixture.hpp"
#include "synapse/ops/activation.hpp"
#include "synapse/ops/compare.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/loss.hpp"
#include "synapse/ops/matmul.hpp"
#include "synapse/ops/norm.hpp"
#include "synapse/ops/operators.hpp"
#include "synapse/ops/reduce.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/softmax.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

using Expr = std::function<Tensor(std::vector<Tensor>&)>;

// Loads fixture `name`, runs `expr` on its inputs (named in order), and compares the output and the
// gradients of sum(out * seed) with PyTorch's.
void check_against_torch(const std::string& name, const std::vector<std::string>& inputs, const Expr& expr) {
  Fixture fx = load_fixture("ops/" + name + ".txt");
  std::vector<Tensor> leaves;
  for (const auto& in : inputs) {
    REQUIRE_MESSAGE(fx.count(in), name << ": fixture has no input " << in);
    leaves.push_back(fx[in].clone().set_requires_grad());
  }
  Tensor out = expr(leaves);
  check_close(name + " forward", out, fx["out"], 1e-5, 1e-6);
  out.backward(fx["seed"]);
  for (size_t i = 0; i < inputs.size(); ++i)
    check_close(name + " d/d" + inputs[i], leaves[i].grad(), fx["grad_" + inputs[i]], 1e-4, 1e-5);
}

}  // namespace

TEST_CASE("torch fixtures: linear, tanh, broadcast multiply, sum over an axis") {
  check_against_torch("mlp", {"x", "w", "b", "c"},
                      [](auto& in) { return sum(tanh(linear(in[0], in[1], in[2])) * in[3], 1); });
}

TEST_CASE("torch fixtures: attention composed from matmul and softmax") {
  check_against_torch("attention_composed", {"q", "k", "v"}, [](auto& in) {
    return matmul(softmax(matmul(in[0], transpose(in[1], -1, -2)) / 2.f, -1), in[2]);
  });
}

TEST_CASE("torch fixtures: layer_norm, gelu, mean, pow") {
  check_against_torch("layernorm_gelu", {"x", "w", "b"}, [](auto& in) {
    return pow(mean(gelu(layer_norm(in[0], Shape{6}, in[1], in[2], 1e-5f)), 1), 2.f);
  });
}

TEST_CASE("torch fixtures: mse + mae + huber") {
  check_against_torch("losses", {"p", "t"}, [](auto& in) {
    Tensor l = mse_loss(in[0], in[1]) + mae_loss(in[0], in[1]) + huber_loss(in[0], in[1], 0.5f);
    return reshape(l, {1});
  });
}

TEST_CASE("torch fixtures: broadcasting arithmetic with where, exp, abs, clamp, sqrt, log") {
  check_against_torch("broadcast_chain", {"x", "y", "z"}, [](auto& in) {
    return where(in[0] > 0.f, exp(in[0]) / (1.f + abs(in[1])), clamp(in[0], -0.5f, 0.5f)) - sqrt(in[2]) +
           log(in[2]) * in[1];
  });
}

TEST_CASE("torch fixtures: transpose, concat, stack, permute, narrow, replicate pad, unfold") {
  check_against_torch("shape_chain", {"x", "y"}, [](auto& in) {
    Tensor a = concat({in[0], transpose(in[1], 0, 1)}, 1);
    Tensor s = permute(stack({a, a * 2.f}, 0), {2, 1, 0});
    Tensor n = narrow(s, 0, 1, 5);
    Tensor p = pad_replicate(transpose(reshape(n, {5, 6}), 0, 1), 1, 0, 2);
    return unfold(p, 1, 3, 2);
  });
}

TEST_CASE("torch fixtures: batch_norm (training), softplus, sigmoid") {
  check_against_torch("batch_norm_chain", {"x", "w", "b"}, [](auto& in) {
    return sigmoid(softplus(batch_norm(in[0], Tensor::zeros(Shape{3}), Tensor::ones(Shape{3}), in[1], in[2],
                                       /*training=*/true, 0.1f, 1e-5f)));
  });
}

TEST_CASE("torch fixtures: bmm, log_softmax, relu, var and max over an axis") {
  check_against_torch("reduce_chain", {"x", "m"}, [](auto& in) {
    return var(relu(bmm(in[1], log_softmax(in[0], 2))), 1) + max(in[0], 1);
  });
}

TEST_CASE("comparisons broadcast, give 0/1 constants and treat NaN as false") {
  Tensor a = Tensor::from({1.f, 2.f, NAN}, Shape{3}).set_requires_grad();
  Tensor b = Tensor::from({2.f}, Shape{1});
  CHECK(greater(a, b).to_vector() == std::vector<float>{0, 0, 0});
  CHECK(greater_equal(a, b).to_vector() == std::vector<float>{0, 1, 0});
  CHECK(less(a, b).to_vector() == std::vector<float>{1, 0, 0});
  CHECK(less_equal(a, b).to_vector() == std::vector<float>{1, 1, 0});
  CHECK(equal(a, b).to_vector() == std::vector<float>{0, 1, 0});
  CHECK(!greater(a, b).requires_grad());
  CHECK_THROWS_WITH(greater(a, Tensor::zeros(Shape{2})), doctest::Contains("greater"));
}
