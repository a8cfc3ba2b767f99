// Losses: values, gradients in pred and target, kinks, exact shapes, determinism, NaN, empty input.
#include <doctest/doctest.h>

#include <cmath>

#include "op_checks.hpp"
#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/loss.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

using LossFn = std::function<Tensor(const Tensor&, const Tensor&, Reduction)>;

struct LossCase {
  std::string name;
  LossFn loss;
  std::function<double(double)> per_element;  // of d = pred - target
};

std::vector<LossCase> cases() {
  return {
      {"mse_loss", [](auto& p, auto& t, Reduction r) { return mse_loss(p, t, r); },
       [](double d) { return d * d; }},
      {"mae_loss", [](auto& p, auto& t, Reduction r) { return mae_loss(p, t, r); },
       [](double d) { return std::fabs(d); }},
      {"huber_loss", [](auto& p, auto& t, Reduction r) { return huber_loss(p, t, 1.f, r); },
       [](double d) { return std::fabs(d) <= 1 ? 0.5 * d * d : std::fabs(d) - 0.5; }},
      {"huber_loss(0.3)", [](auto& p, auto& t, Reduction r) { return huber_loss(p, t, 0.3f, r); },
       [](double d) { return std::fabs(d) <= 0.3 ? 0.5 * d * d : 0.3 * (std::fabs(d) - 0.15); }},
  };
}

ReferenceFn loss_ref(std::function<double(double)> f, Reduction r) {
  return [f, r](const std::vector<std::vector<double>>& in) {
    std::vector<double> each(in[0].size());
    for (size_t i = 0; i < each.size(); ++i) each[i] = f(in[0][i] - in[1][i]);
    if (r == Reduction::none) return each;
    double total = 0;
    for (double v : each) total += v;
    return std::vector<double>{r == Reduction::sum ? total : total / each.size()};
  };
}

const char* reduction_name(Reduction r) {
  return r == Reduction::mean ? "mean" : r == Reduction::sum ? "sum" : "none";
}

}  // namespace

TEST_CASE("losses: values and gradients in pred and target for every reduction") {
  // Differences span both sides of each Huber threshold.
  const Tensor pred = random_input(Shape{3, 5}, 41, -2.f, 2.f),
               target = random_input(Shape{3, 5}, 42, -2.f, 2.f);
  for (const LossCase& c : cases()) {
    for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none}) {
      GradcheckOptions o;
      o.atol = 1e-5;
      o.rtol = 1e-4;
      o.reference = loss_ref(c.per_element, r);
      check_gradients(
          c.name + "/" + reduction_name(r), [&c, r](auto& v) { return c.loss(v[0], v[1], r); },
          {pred, target}, o);
    }
  }
  // The default reduction is the mean.
  const Tensor p = Tensor::from({1.f, 2.f}, Shape{2}), t = Tensor::from({0.f, 4.f}, Shape{2});
  CHECK(mse_loss(p, t).item() == 2.5f);
  CHECK(mae_loss(p, t).item() == 1.5f);
  CHECK(huber_loss(p, t).item() == 1.f);  // (0.5 + 1.5) / 2
}

TEST_CASE("losses: subgradients at the kinks") {
  // mae: 0 where pred == target.
  Tensor p = Tensor::from({1.f, 2.f, 3.f}, Shape{3}).set_requires_grad();
  const Tensor t = Tensor::from({1.f, 0.f, 5.f}, Shape{3});
  mae_loss(p, t, Reduction::sum).backward();
  CHECK(p.grad().to_vector() == std::vector<float>{0.f, 1.f, -1.f});
  // huber: the gradient is clamp(d, -delta, delta), continuous at |d| == delta.
  Tensor q = Tensor::from({1.5f, 0.f, 3.f, 0.25f}, Shape{4}).set_requires_grad();
  const Tensor u = Tensor::from({1.f, 0.5f, 0.f, 0.f}, Shape{4});
  huber_loss(q, u, 0.5f, Reduction::sum).backward();
  CHECK(q.grad().to_vector() == std::vector<float>{0.5f, -0.5f, 0.5f, 0.25f});
}

TEST_CASE("losses: pred and target must have exactly the same shape") {
  const Tensor a = Tensor::zeros(Shape{3}), b = Tensor::zeros(Shape{3, 1});
  check_error<ShapeError>([&] { mse_loss(a, b); }, {"mse_loss", "(3)", "(3, 1)"});
  check_error<ShapeError>([&] { mae_loss(b, a); }, {"mae_loss", "(3, 1)", "(3)"});
  check_error<ShapeError>([&] { huber_loss(a, b, 1.f, Reduction::none); }, {"huber_loss", "(3)", "(3, 1)"});
  check_error<ShapeError>([&] { mse_loss(a, Tensor::scalar(0.f)); }, {"mse_loss", "(3)", "()"});
}

TEST_CASE("huber_loss: delta must be positive") {
  const Tensor a = Tensor::zeros(Shape{2});
  check_error<ValueError>([&] { huber_loss(a, a, 0.f); }, {"huber_loss", "delta", "0", "(2)"});
  check_error<ValueError>([&] { huber_loss(a, a, -1.f); }, {"huber_loss", "delta", "-1"});
  check_error<ValueError>([&] { huber_loss(a, a, NAN); }, {"huber_loss", "delta", "nan"});
}

TEST_CASE("losses of empty tensors: sum is 0, none is empty, mean is a ValueError") {
  const Tensor e = Tensor::zeros(Shape{0, 2});
  for (const LossCase& c : cases()) {
    CHECK(c.loss(e, e, Reduction::sum).item() == 0.f);
    CHECK(c.loss(e, e, Reduction::none).shape() == Shape{0, 2});
    const std::string op = c.name.substr(0, c.name.find('('));
    check_error<ValueError>([&] { c.loss(e, e, Reduction::mean); }, {op, "(0, 2)"});
  }
}

TEST_CASE("losses: 1 and 2 threads give bitwise-identical results") {
  const int64_t n = 2 * kReduceBlock + 29;
  const Tensor pred = random_input(Shape{n}, 43, -3.f, 3.f), target = random_input(Shape{n}, 44, -3.f, 3.f);
  for (const LossCase& c : cases())
    for (Reduction r : {Reduction::mean, Reduction::sum, Reduction::none})
      check_thread_determinism(c.name + "/" + reduction_name(r),
                               [&c, r](auto& v) { return c.loss(v[0], v[1], r); }, {pred, target});
}

TEST_CASE("losses: NaN in gives NaN out") {
  const Tensor p = Tensor::from({NAN, 1.f}, Shape{2}), t = Tensor::from({0.f, 0.f}, Shape{2});
  for (const LossCase& c : cases()) {
    CHECK_MESSAGE(std::isnan(c.loss(p, t, Reduction::mean).item()), c.name);
    CHECK_MESSAGE(std::isnan(c.loss(t, p, Reduction::sum).item()), c.name);
    const Tensor each = c.loss(p, t, Reduction::none);
    CHECK_MESSAGE(std::isnan(each.data()[0]), c.name);
    CHECK_MESSAGE(!std::isnan(each.data()[1]), c.name);
    // The gradient of the NaN element is NaN; the others are unaffected.
    Tensor q = p.clone().set_requires_grad();
    c.loss(q, t, Reduction::none).backward(Tensor::ones(Shape{2}));
    CHECK_MESSAGE(std::isnan(q.grad().data()[0]), c.name);
    CHECK_MESSAGE(!std::isnan(q.grad().data()[1]), c.name);
  }
}
