// Optimizer trajectories against torch.optim (fixtures from tools/fixtures/make_optim_fixtures.py).
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "fixtures.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/sgd.hpp"

using namespace syn;
using namespace syn::nn;
using syn::testing::OptimCase;

namespace {
double option(const OptimCase& c, const char* name, double fallback) {
  auto it = c.options.find(name);
  return it == c.options.end() ? fallback : it->second;
}

template <class Options>
Options adam_options(const OptimCase& c, Options o) {
  o.beta1 = option(c, "beta1", o.beta1);
  o.beta2 = option(c, "beta2", o.beta2);
  o.eps = option(c, "eps", o.eps);
  o.weight_decay = option(c, "weight_decay", o.weight_decay);
  o.amsgrad = option(c, "amsgrad", 0) != 0;
  return o;
}

std::unique_ptr<Optimizer> make_optimizer(const std::string& name, const OptimCase& c,
                                          const std::vector<Tensor>& params) {
  const double lr = c.options.at("lr");
  if (name.starts_with("sgd")) {
    SgdOptions o;
    o.momentum = option(c, "momentum", 0);
    o.dampening = option(c, "dampening", 0);
    o.weight_decay = option(c, "weight_decay", 0);
    o.nesterov = option(c, "nesterov", 0) != 0;
    return std::make_unique<Sgd>(params, lr, o);
  }
  if (name.starts_with("adamw")) return std::make_unique<AdamW>(params, lr, adam_options(c, AdamWOptions{}));
  return std::make_unique<Adam>(params, lr, adam_options(c, AdamOptions{}));
}

// Runs one fixture case and checks every parameter entry after every step to 1e-6 relative.
void check_case(const std::string& name) {
  CAPTURE(name);
  const OptimCase c = syn::testing::load_optim_case(name);
  REQUIRE(c.shapes.size() == 2);
  REQUIRE(c.grads.size() == 6);
  std::vector<Tensor> params;
  for (size_t p = 0; p < c.shapes.size(); ++p)
    params.push_back(Tensor::from(c.init[p], c.shapes[p]).set_requires_grad());
  auto optimizer = make_optimizer(name, c, params);

  double worst = 0;
  for (size_t s = 0; s < c.grads.size(); ++s) {
    for (size_t p = 0; p < params.size(); ++p) params[p].set_grad(Tensor::from(c.grads[s][p], c.shapes[p]));
    optimizer->step();
    for (size_t p = 0; p < params.size(); ++p) {
      const float* got = params[p].data();
      for (size_t i = 0; i < c.expect[s][p].size(); ++i) {
        const double want = c.expect[s][p][i];
        const double rel = std::fabs(got[i] - want) / std::fabs(want);
        worst = std::max(worst, rel);
        if (rel > 1e-6)
          FAIL_CHECK("step ", s + 1, " param ", p, " entry ", i, ": ", got[i], " vs torch ", want);
      }
    }
  }
  MESSAGE(name, ": largest relative difference to torch ", worst);
}
}  // namespace

TEST_CASE("sgd: trajectories match torch.optim.SGD") {
  for (const char* name : {"sgd", "sgd_weight_decay", "sgd_momentum", "sgd_dampening", "sgd_nesterov"})
    check_case(name);
}

TEST_CASE("adam: trajectories match torch.optim.Adam") {
  for (const char* name : {"adam", "adam_weight_decay", "adam_amsgrad"}) check_case(name);
}

TEST_CASE("adamw: trajectories match torch.optim.AdamW, whose default weight decay is 1e-2") {
  CHECK(AdamWOptions{}.weight_decay == 1e-2);
  CHECK(AdamOptions{}.weight_decay == 0.0);
  for (const char* name : {"adamw", "adamw_amsgrad"}) check_case(name);
}
