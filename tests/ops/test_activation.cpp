#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "synapse/ops/activation.hpp"

using namespace syn;
using namespace syn::testing;

namespace {
// Double-precision reference of an elementwise function, for check_gradients.
ReferenceFn elementwise(double (*f)(double)) {
  return [f](const std::vector<std::vector<double>>& in) {
    std::vector<double> y(in[0].size());
    for (size_t i = 0; i < y.size(); ++i) y[i] = f(in[0][i]);
    return y;
  };
}
double ref_sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double ref_tanh(double x) { return std::tanh(x); }
double ref_gelu(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }
double ref_gelu_tanh(double x) {
  return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
}
double ref_softplus(double x) { return std::log1p(std::exp(x)); }
double ref_relu(double x) { return x > 0 ? x : 0; }
}  // namespace

TEST_CASE("activations: gradients against double-precision references") {
  const Tensor x = random_input(Shape{3, 5}, 1, -3.f, 3.f);
  GradcheckOptions o;
  o.atol = 1e-5;
  o.rtol = 1e-4;
  o.reference = elementwise(ref_sigmoid);
  check_gradients("sigmoid", [](auto& in) { return sigmoid(in[0]); }, {x}, o);
  o.reference = elementwise(ref_tanh);
  check_gradients("tanh", [](auto& in) { return tanh(in[0]); }, {x}, o);
  o.reference = elementwise(ref_gelu);
  check_gradients("gelu", [](auto& in) { return gelu(in[0]); }, {x}, o);
  o.reference = elementwise(ref_gelu_tanh);
  check_gradients("gelu_tanh", [](auto& in) { return gelu(in[0], true); }, {x}, o);
  o.reference = elementwise(ref_softplus);
  check_gradients("softplus", [](auto& in) { return softplus(in[0]); }, {x}, o);
  o.reference = elementwise(ref_relu);  // random inputs avoid the kink at 0
  check_gradients("relu", [](auto& in) { return relu(in[0]); }, {x}, o);
}

TEST_CASE("activations: float central differences agree too") {
  const Tensor x = random_input(Shape{4, 3}, 2, -2.f, 2.f);
  check_gradients("tanh/float", [](auto& in) { return tanh(in[0]); }, {x});
  check_gradients("gelu/float", [](auto& in) { return gelu(in[0]); }, {x});
}

TEST_CASE("activations: 1 and 2 threads give bitwise-identical results") {
  const Tensor x = random_input(Shape{1000}, 3, -4.f, 4.f);
  check_thread_determinism("relu", [](auto& in) { return relu(in[0]); }, {x});
  check_thread_determinism("sigmoid", [](auto& in) { return sigmoid(in[0]); }, {x});
  check_thread_determinism("tanh", [](auto& in) { return tanh(in[0]); }, {x});
  check_thread_determinism("gelu", [](auto& in) { return gelu(in[0]); }, {x});
  check_thread_determinism("softplus", [](auto& in) { return softplus(in[0]); }, {x});
}

TEST_CASE("activations: NaN propagates, infinities saturate") {
  Tensor x = Tensor::from({NAN, INFINITY, -INFINITY}, Shape{3});
  for (auto f : {+[](const Tensor& t) { return relu(t); }, +[](const Tensor& t) { return sigmoid(t); },
                 +[](const Tensor& t) { return tanh(t); }, +[](const Tensor& t) { return gelu(t); },
                 +[](const Tensor& t) { return softplus(t); }}) {
    Tensor y = f(x);
    CHECK(std::isnan(y.data()[0]));
    CHECK(!std::isnan(y.data()[1]));
  }
  CHECK(sigmoid(x).data()[2] == 0.f);
  CHECK(tanh(x).data()[1] == 1.f);
}
