// Elementwise ops: gradients (with broadcasting in both operands), kinks, determinism, NaN, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "op_checks.hpp"
#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/broadcast.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/operators.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

using Binary = Tensor (*)(const Tensor&, const Tensor&);
using Unary = Tensor (*)(const Tensor&);

struct BinaryCase {
  const char* name;
  Binary op;
  double (*ref)(double, double);
  float b_low, b_high;  // range of the second operand (away from 0 for div)
};

const BinaryCase kBinary[] = {
    {"add", add, [](double a, double b) { return a + b; }, -1.f, 1.f},
    {"sub", sub, [](double a, double b) { return a - b; }, -1.f, 1.f},
    {"mul", mul, [](double a, double b) { return a * b; }, -1.f, 1.f},
    {"div", div, [](double a, double b) { return a / b; }, 0.5f, 2.f},
};

// Operand shapes: equal, broadcast in both, row, scalar each side, leading axes.
const std::pair<Shape, Shape> kShapes[] = {{Shape{2, 3}, Shape{2, 3}}, {Shape{3, 1, 4}, Shape{2, 1}},
                                           {Shape{4}, Shape{3, 4}},    {Shape{}, Shape{2, 3}},
                                           {Shape{2, 3}, Shape{1}},    {Shape{2, 1, 3}, Shape{1, 4, 1}}};

struct UnaryCase {
  const char* name;
  Unary op;
  double (*ref)(double);
  float low, high;
};

const UnaryCase kUnary[] = {
    {"neg", neg, [](double x) { return -x; }, -2.f, 2.f},
    {"exp", exp, [](double x) { return std::exp(x); }, -2.f, 2.f},
    {"log", log, [](double x) { return std::log(x); }, 0.2f, 3.f},
    {"sqrt", sqrt, [](double x) { return std::sqrt(x); }, 0.2f, 3.f},
    {"abs", abs, [](double x) { return std::fabs(x); }, -2.f, 2.f},  // random inputs avoid 0
};

}  // namespace

TEST_CASE("add, sub, mul, div: gradients with broadcasting in both operands") {
  for (const BinaryCase& c : kBinary) {
    for (const auto& [sa, sb] : kShapes) {
      const Tensor a = random_input(sa, 11), b = random_input(sb, 12, c.b_low, c.b_high);
      const Shape out = broadcast_shapes("test", sa, sb);
      const std::string name = std::string(c.name) + " " + sa.str() + " " + sb.str();
      check_gradients(
          name, [&c](auto& v) { return c.op(v[0], v[1]); }, {a, b}, with_reference(binary_ref(sa, sb, out, c.ref)));
      check_gradients(name + "/float", [&c](auto& v) { return c.op(v[0], v[1]); }, {a, b});
    }
  }
}

TEST_CASE("a gradient reaches only the operands that require it") {
  Tensor a = random_input(Shape{3, 2}, 13);
  const Tensor b = Tensor::full(Shape{2}, 2.f);
  mul(a, b).backward(Tensor::ones(Shape{3, 2}));
  CHECK(a.grad().to_vector() == std::vector<float>(6, 2.f));
  CHECK(!b.grad().defined());
}

TEST_CASE("x op x: both uses of one tensor accumulate") {
  Tensor x = Tensor::from({1.5f, -2.f}, Shape{2}).set_requires_grad();
  mul(x, x).backward(Tensor::ones(Shape{2}));
  CHECK(x.grad().to_vector() == std::vector<float>{3.f, -4.f});
  x.zero_grad();
  sub(x, x).backward(Tensor::ones(Shape{2}));
  CHECK(x.grad().to_vector() == std::vector<float>{0.f, 0.f});
}

TEST_CASE("tensor-scalar overloads: values and gradients") {
  const Tensor x = random_input(Shape{3, 4}, 14, 0.5f, 2.f);
  struct Case {
    const char* name;
    Tensor (*op)(const Tensor&);
    double (*ref)(double);
  };
  const Case cases[] = {
      {"x + 2", [](const Tensor& t) { return add(t, 2.f); }, [](double v) { return v + 2; }},
      {"x - 2", [](const Tensor& t) { return sub(t, 2.f); }, [](double v) { return v - 2; }},
      {"2 - x", [](const Tensor& t) { return sub(2.f, t); }, [](double v) { return 2 - v; }},
      {"x * 3", [](const Tensor& t) { return mul(t, 3.f); }, [](double v) { return v * 3; }},
      {"x / 4", [](const Tensor& t) { return div(t, 4.f); }, [](double v) { return v / 4; }},
      {"2 / x", [](const Tensor& t) { return div(2.f, t); }, [](double v) { return 2 / v; }},
  };
  for (const Case& c : cases)
    check_gradients(
        c.name, [&c](auto& v) { return c.op(v[0]); }, {x}, with_reference(unary_ref(c.ref)));
  // A constant operand is exact: x / 3 is a true division, not x * (1/3).
  const Tensor q = div(x, 3.f);
  for (int64_t i = 0; i < x.numel(); ++i) CHECK(q.data()[i] == x.data()[i] / 3.f);
}

TEST_CASE("operators spell the elementwise ops") {
  const Tensor a = random_input(Shape{2, 3}, 15, 0.5f, 2.f), b = random_input(Shape{3}, 16, 0.5f, 2.f);
  CHECK((a + b).to_vector() == add(a, b).to_vector());
  CHECK((a - b).to_vector() == sub(a, b).to_vector());
  CHECK((a * b).to_vector() == mul(a, b).to_vector());
  CHECK((a / b).to_vector() == div(a, b).to_vector());
  CHECK((a + 1.f).to_vector() == add(a, 1.f).to_vector());
  CHECK((1.f + a).to_vector() == add(a, 1.f).to_vector());
  CHECK((a - 1.f).to_vector() == sub(a, 1.f).to_vector());
  CHECK((1.f - a).to_vector() == sub(1.f, a).to_vector());
  CHECK((2.f * a).to_vector() == mul(a, 2.f).to_vector());
  CHECK((a * 2.f).to_vector() == mul(a, 2.f).to_vector());
  CHECK((a / 2.f).to_vector() == div(a, 2.f).to_vector());
  CHECK((2.f / a).to_vector() == div(2.f, a).to_vector());
  CHECK((-a).to_vector() == neg(a).to_vector());
  Tape::current().clear();
  // A composed expression differentiates through every operator.
  auto ref = [](const std::vector<std::vector<double>>& v) {
    const auto x = broadcast_ref(v[0], Shape{2, 3}, Shape{2, 3}),
               y = broadcast_ref(v[1], Shape{3}, Shape{2, 3});
    std::vector<double> r(x.size());
    for (size_t i = 0; i < r.size(); ++i) r[i] = -((x[i] * y[i] + 2) / (3 - x[i]) - y[i] / 2 + 1 / y[i]);
    return r;
  };
  check_gradients(
      "expression", [](auto& v) { return -((v[0] * v[1] + 2.f) / (3.f - v[0]) - v[1] / 2.f + 1.f / v[1]); },
      {a, b}, with_reference(ref));
}

TEST_CASE("neg, exp, log, sqrt, abs: gradients against double-precision references") {
  for (const UnaryCase& c : kUnary) {
    const Tensor x = random_input(Shape{3, 5}, 17, c.low, c.high);
    check_gradients(
        c.name, [&c](auto& v) { return c.op(v[0]); }, {x}, with_reference(unary_ref(c.ref)));
  }
}

TEST_CASE("pow with a constant exponent: gradients, and p == 0") {
  const Tensor any = random_input(Shape{3, 4}, 18, -2.f, 2.f);
  const Tensor positive = random_input(Shape{3, 4}, 19, 0.3f, 2.f);
  for (float p : {2.f, 3.f, -1.f}) {
    check_gradients(
        "pow " + std::to_string(p), [p](auto& v) { return pow(v[0], p); }, {any},
        with_reference(unary_ref([p](double x) { return std::pow(x, double(p)); })));
  }
  for (float p : {0.5f, -1.5f, 2.7f}) {
    check_gradients(
        "pow " + std::to_string(p), [p](auto& v) { return pow(v[0], p); }, {positive},
        with_reference(unary_ref([p](double x) { return std::pow(x, double(p)); })));
  }
  // x^0 = 1 with gradient 0 everywhere, also at 0 (PyTorch's convention).
  Tensor x = Tensor::from({0.f, 2.f, -3.f}, Shape{3}).set_requires_grad();
  Tensor y = pow(x, 0.f);
  CHECK(y.to_vector() == std::vector<float>{1.f, 1.f, 1.f});
  y.backward(Tensor::ones(Shape{3}));
  CHECK(x.grad().to_vector() == std::vector<float>{0.f, 0.f, 0.f});
}

TEST_CASE("pow of two tensors: gradients in base and exponent with broadcasting") {
  const Tensor a = random_input(Shape{3, 1}, 20, 0.5f, 2.f), b = random_input(Shape{1, 4}, 21, -2.f, 2.f);
  check_gradients(
      "pow(a, b)", [](auto& v) { return pow(v[0], v[1]); }, {a, b},
      with_reference(binary_ref(Shape{3, 1}, Shape{1, 4}, Shape{3, 4},
                       [](double x, double e) { return std::pow(x, e); })));
  const Tensor c = random_input(Shape{2, 3}, 22, 0.5f, 2.f), d = random_input(Shape{3}, 23, -2.f, 2.f);
  check_gradients(
      "pow(c, d)", [](auto& v) { return pow(v[0], v[1]); }, {c, d},
      with_reference(
          binary_ref(Shape{2, 3}, Shape{3}, Shape{2, 3}, [](double x, double e) { return std::pow(x, e); })));
  // At a == 0 with b >= 0 the exponent gets 0 (not 0·log 0 = NaN); b == 0 gives the base 0.
  Tensor base = Tensor::from({0.f, 0.f, 2.f}, Shape{3}).set_requires_grad();
  Tensor exponent = Tensor::from({2.f, 0.f, 0.f}, Shape{3}).set_requires_grad();
  pow(base, exponent).backward(Tensor::ones(Shape{3}));
  CHECK(exponent.grad().to_vector() == std::vector<float>{0.f, 0.f, std::log(2.f)});
  CHECK(base.grad().to_vector() == std::vector<float>{0.f, 0.f, 0.f});
}

TEST_CASE("abs: subgradient 0 at 0") {
  Tensor x = Tensor::from({-2.f, 0.f, 3.f, -0.f}, Shape{4}).set_requires_grad();
  abs(x).backward(Tensor::full(Shape{4}, 5.f));
  CHECK(x.grad().to_vector() == std::vector<float>{-5.f, 0.f, 5.f, 0.f});
}

TEST_CASE("clamp: gradient inside [lo, hi] including the bounds, 0 outside") {
  Tensor x = Tensor::from({-2.f, -0.5f, 0.f, 0.7f, 1.f}, Shape{5}).set_requires_grad();
  Tensor y = clamp(x, -0.5f, 0.7f);
  CHECK(y.to_vector() == std::vector<float>{-0.5f, -0.5f, 0.f, 0.7f, 0.7f});
  y.backward(Tensor::full(Shape{5}, 3.f));
  CHECK(x.grad().to_vector() == std::vector<float>{0.f, 3.f, 3.f, 3.f, 0.f});
  const Tensor r = random_input(Shape{4, 5}, 24, -2.f, 2.f);
  check_gradients(
      "clamp", [](auto& v) { return clamp(v[0], -0.5f, 0.7f); }, {r},
      with_reference(unary_ref([](double v) { return std::min(std::max(v, -0.5), 0.7); })));
  check_error<ValueError>([] { clamp(Tensor::zeros(Shape{2}), 1.f, -1.f); }, {"clamp", "1", "-1", "(2)"});
}

TEST_CASE("where: values and gradients routed by the condition, all three broadcasting") {
  const Tensor cond = Tensor::from({1.f, 0.f, -3.f}, Shape{3, 1});
  const Tensor a = random_input(Shape{1, 4}, 25), b = random_input(Shape{3, 4}, 26);
  const Tensor y = where(cond, a, b);
  REQUIRE(y.shape() == Shape{3, 4});
  for (int64_t j = 0; j < 4; ++j) {
    CHECK(y.at({0, j}) == a.at({0, j}));
    CHECK(y.at({1, j}) == b.at({1, j}));
    CHECK(y.at({2, j}) == a.at({0, j}));
  }
  Tape::current().clear();
  auto ref = [cond](const std::vector<std::vector<double>>& v) {
    const Shape out{3, 4};
    const auto c = broadcast_ref(std::vector<double>(cond.data(), cond.data() + 3), Shape{3, 1}, out);
    const auto x = broadcast_ref(v[0], Shape{1, 4}, out), z = broadcast_ref(v[1], Shape{3, 4}, out);
    std::vector<double> r(x.size());
    for (size_t i = 0; i < r.size(); ++i) r[i] = c[i] != 0 ? x[i] : z[i];
    return r;
  };
  check_gradients(
      "where", [cond](auto& v) { return where(cond, v[0], v[1]); }, {a, b}, with_reference(ref));
  // A scalar branch collects the gradient of every position it was chosen for.
  Tensor s = Tensor::scalar(1.f).set_requires_grad();
  Tensor t = Tensor::zeros(Shape{3}).set_requires_grad();
  where(Tensor::from({1.f, 0.f, 1.f}, Shape{3}), s, t).backward(Tensor::from({2.f, 3.f, 4.f}, Shape{3}));
  CHECK(s.grad().item() == 6.f);
  CHECK(t.grad().to_vector() == std::vector<float>{0.f, 3.f, 0.f});
}

TEST_CASE("elementwise ops: 1 and 2 threads give bitwise-identical results") {
  const Tensor a = random_input(Shape{64, 33}, 27, 0.5f, 2.f), b = random_input(Shape{64, 33}, 28, 0.5f, 2.f);
  const Tensor row = random_input(Shape{33}, 29, 0.5f, 2.f), col = random_input(Shape{64, 1}, 30, 0.5f, 2.f);
  for (const BinaryCase& c : kBinary) {
    const auto f = [&c](auto& v) { return c.op(v[0], v[1]); };
    check_thread_determinism(std::string(c.name) + "/equal", f, {a, b});
    check_thread_determinism(std::string(c.name) + "/row", f, {a, row});
    check_thread_determinism(std::string(c.name) + "/column", f, {col, a});
    check_thread_determinism(std::string(c.name) + "/outer", f, {col, row});
  }
  check_thread_determinism("pow(a, b)", [](auto& v) { return pow(v[0], v[1]); }, {col, row});
  check_thread_determinism("pow(x, 2.5)", [](auto& v) { return pow(v[0], 2.5f); }, {a});
  for (const UnaryCase& c : kUnary)
    check_thread_determinism(c.name, [&c](auto& v) { return c.op(v[0]); }, {a});
  check_thread_determinism("clamp", [](auto& v) { return clamp(v[0], 0.8f, 1.5f); }, {a});
  std::vector<float> alternating(64);
  for (size_t i = 0; i < alternating.size(); ++i) alternating[i] = static_cast<float>(i % 2);
  const Tensor cond = Tensor::from(alternating, Shape{64, 1});
  check_thread_determinism("where", [&cond](auto& v) { return where(cond, v[0], v[1]); }, {a, row});
  check_thread_determinism("scalar", [](auto& v) { return div(2.f, v[0]); }, {a});
}

TEST_CASE("elementwise ops: NaN in gives NaN out") {
  const Tensor nan = Tensor::from({NAN, 1.f}, Shape{2});
  const Tensor one = Tensor::ones(Shape{2});
  for (const BinaryCase& c : kBinary) {
    CHECK_MESSAGE(std::isnan(c.op(nan, one).data()[0]), c.name);
    CHECK_MESSAGE(std::isnan(c.op(one, nan).data()[0]), c.name);
    CHECK_MESSAGE(!std::isnan(c.op(nan, one).data()[1]), c.name);
  }
  for (const UnaryCase& c : kUnary) CHECK_MESSAGE(std::isnan(c.op(nan).data()[0]), c.name);
  CHECK(std::isnan(pow(nan, 2.f).data()[0]));
  CHECK(std::isnan(pow(one * 2.f, nan).data()[0]));
  CHECK(std::isnan(pow(nan, one).data()[0]));
  CHECK(std::isnan(clamp(nan, -1.f, 1.f).data()[0]));
  CHECK(std::isnan(add(nan, 1.f).data()[0]));
  CHECK(std::isnan(where(one, nan, one).data()[0]));
  CHECK(where(Tensor::zeros(Shape{2}), nan, one).data()[0] == 1.f);
  // NaN reaches the gradient of the piecewise ops too (Note [Subgradients]).
  for (auto op :
       {+[](const Tensor& t) { return abs(t); }, +[](const Tensor& t) { return clamp(t, -1.f, 1.f); }}) {
    Tensor x = Tensor::from({NAN, 0.5f}, Shape{2}).set_requires_grad();
    op(x).backward(Tensor::ones(Shape{2}));
    CHECK(std::isnan(x.grad().data()[0]));
    CHECK(x.grad().data()[1] == 1.f);
  }
}

TEST_CASE("elementwise ops: impossible broadcasts name the op and the shapes") {
  const Tensor a = Tensor::zeros(Shape{2, 3}), b = Tensor::zeros(Shape{4});
  check_error<ShapeError>([&] { add(a, b); }, {"add", "(2, 3)", "(4)"});
  check_error<ShapeError>([&] { sub(a, b); }, {"sub", "(2, 3)", "(4)"});
  check_error<ShapeError>([&] { mul(a, b); }, {"mul", "(2, 3)", "(4)"});
  check_error<ShapeError>([&] { div(a, b); }, {"div", "(2, 3)", "(4)"});
  check_error<ShapeError>([&] { pow(a, b); }, {"pow", "(2, 3)", "(4)"});
  check_error<ShapeError>([&] { a + b; }, {"add", "(2, 3)", "(4)"});
  check_error<ShapeError>([&] { where(b, a, a); }, {"where", "(4)", "(2, 3)"});
  check_error<ShapeError>([&] { where(a, b, a); }, {"where", "(4)", "(2, 3)"});
  check_error<ShapeError>([&] { where(a, a, b); }, {"where", "(4)", "(2, 3)"});
}
