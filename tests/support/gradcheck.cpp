#include "support/gradcheck.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "synapse/core/grad_mode.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/core/tape.hpp"

namespace syn::testing {
namespace {

std::vector<Tensor> fresh_leaves(const std::vector<Tensor>& inputs) {
  std::vector<Tensor> out;
  for (const Tensor& t : inputs) {
    Tensor c = t.clone();
    c.set_requires_grad(t.requires_grad());
    out.push_back(c);
  }
  return out;
}

double projected(const Tensor& y, const Tensor& r) {
  double s = 0;
  for (int64_t i = 0; i < y.numel(); ++i) s += static_cast<double>(y.data()[i]) * r.data()[i];
  return s;
}

double projected(const std::vector<double>& y, const Tensor& r) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += y[i] * r.data()[i];
  return s;
}

std::vector<std::vector<double>> as_double(const std::vector<Tensor>& inputs) {
  std::vector<std::vector<double>> out;
  for (const Tensor& t : inputs) out.emplace_back(t.data(), t.data() + t.numel());
  return out;
}

}  // namespace

GradcheckOptions with_reference(ReferenceFn reference, double atol, double rtol) {
  GradcheckOptions o;
  o.atol = atol;
  o.rtol = rtol;
  o.reference = std::move(reference);
  return o;
}

Tensor random_input(const Shape& shape, uint64_t seed, float low, float high) {
  Generator gen(seed, 7);
  Tensor t = Tensor::rand(shape, gen, low, high);
  t.set_requires_grad(true);
  return t;
}

void check_gradients(const std::string& name, const OpFn& f, const std::vector<Tensor>& inputs,
                     const GradcheckOptions& options) {
  std::vector<Tensor> leaves = fresh_leaves(inputs);
  Tensor y = f(leaves);
  Generator gen(options.seed, 99);
  const Tensor r = Tensor::randn(y.shape(), gen);
  REQUIRE_MESSAGE(y.requires_grad(), name << ": output does not require grad");
  y.backward(r);
  CHECK_MESSAGE(Tape::current().empty(), name << ": tape not empty after backward");

  if (options.reference) {
    const std::vector<double> ref = options.reference(as_double(leaves));
    REQUIRE_MESSAGE(static_cast<int64_t>(ref.size()) == y.numel(), name << ": reference size");
    for (int64_t i = 0; i < y.numel(); ++i) {
      const double err = std::fabs(y.data()[i] - ref[i]);
      CHECK_MESSAGE(err <= 1e-5 + 1e-5 * std::fabs(ref[i]),
                    name << ": forward[" << i << "] = " << y.data()[i] << ", reference " << ref[i]);
    }
  }

  for (size_t k = 0; k < leaves.size(); ++k) {
    if (!inputs[k].requires_grad()) continue;
    Tensor analytic = leaves[k].grad();
    REQUIRE_MESSAGE(analytic.defined(), name << ": no gradient reached input " << k);
    for (int64_t i = 0; i < leaves[k].numel(); ++i) {
      double numeric;
      if (options.reference) {
        auto x = as_double(leaves);
        const double h = options.reference_eps * std::max(1.0, std::fabs(x[k][i]));
        x[k][i] += h;
        const double plus = projected(options.reference(x), r);
        x[k][i] -= 2 * h;
        const double minus = projected(options.reference(x), r);
        numeric = (plus - minus) / (2 * h);
      } else {
        NoGradGuard no_grad;
        std::vector<Tensor> probe = fresh_leaves(inputs);
        float* p = probe[k].mutable_data();
        const float original = p[i];
        p[i] = original + static_cast<float>(options.eps);
        const double h_plus = static_cast<double>(p[i]) - original;
        const double plus = projected(f(probe), r);
        p[i] = original - static_cast<float>(options.eps);
        const double h_minus = original - static_cast<double>(p[i]);
        const double minus = projected(f(probe), r);
        numeric = (plus - minus) / (h_plus + h_minus);
      }
      const double a = analytic.data()[i];
      CHECK_MESSAGE(std::fabs(a - numeric) <= options.atol + options.rtol * std::fabs(numeric),
                    name << ": d/d input " << k << "[" << i << "] analytic " << a << " numeric "
                         << numeric);
    }
  }
}

void check_thread_determinism(const std::string& name, const OpFn& f, const std::vector<Tensor>& inputs) {
  auto run = [&](int threads) {
    const int previous = num_threads();
    set_num_threads(threads);
    GrainOverride grain(7);
    std::vector<Tensor> leaves = fresh_leaves(inputs);
    Tensor y = f(leaves);
    std::vector<Tensor> out{y.detach().clone()};
    if (y.requires_grad()) {
      Generator gen(5, 5);
      y.backward(Tensor::randn(y.shape(), gen));
      for (const Tensor& l : leaves)
        if (l.requires_grad()) out.push_back(l.grad());
    }
    set_num_threads(previous);
    return out;
  };
  const auto one = run(1), two = run(2);
  REQUIRE(one.size() == two.size());
  for (size_t k = 0; k < one.size(); ++k) {
    REQUIRE(one[k].defined());
    REQUIRE(one[k].shape() == two[k].shape());
    CHECK_MESSAGE(std::memcmp(one[k].data(), two[k].data(), sizeof(float) * one[k].numel()) == 0,
                  name << ": result " << k << " differs between 1 and 2 threads");
  }
}

}  // namespace syn::testing
