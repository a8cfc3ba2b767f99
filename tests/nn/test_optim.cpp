// Optimizer behaviour beyond the torch trajectories: masks (Note [Masked optimizer steps]),
// versions, skipped parameters, validation, thread determinism.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/sgd.hpp"
#include "synapse/ops/activation.hpp"
#include "synapse/ops/loss.hpp"
#include "synapse/ops/matmul.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
using MakeOptimizer = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;

std::shared_ptr<const Mask> random_mask(int64_t n, float density, uint64_t seed) {
  Generator gen(seed);
  std::vector<uint8_t> live(static_cast<size_t>(n));
  for (auto& l : live) l = gen.bernoulli(density);
  return std::make_shared<Mask>(live);
}

Tensor random_param(const Shape& shape, uint64_t seed) {
  Generator gen(seed);
  return Tensor::randn(shape, gen).set_requires_grad();
}

// Dense random gradients: nonzero at dead entries too, which a masked step must ignore.
std::vector<Tensor> random_grads(const Shape& shape, int steps, uint64_t seed) {
  Generator gen(seed);
  std::vector<Tensor> grads;
  for (int s = 0; s < steps; ++s) grads.push_back(Tensor::randn(shape, gen));
  return grads;
}

bool bitwise_equal(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The state tensors of an optimizer for parameter 0.
std::vector<Tensor> state_of(const Optimizer& opt) {
  if (auto* sgd = dynamic_cast<const Sgd*>(&opt)) return {sgd->momentum_buffer(0)};
  const AdamState& s = dynamic_cast<const Adam&>(opt).state(0);
  return {s.exp_avg, s.exp_avg_sq, s.max_exp_avg_sq};
}

// A masked run and an unmasked run with the same gradients: dead weights and dead state stay exactly
// 0, live entries are bitwise those of the unmasked update.
void check_masked_matches_dense(const char* name, const MakeOptimizer& make) {
  CAPTURE(name);
  const Shape shape{37, 29};
  const auto mask = random_mask(shape.numel(), 0.3f, 7);
  Tensor masked = random_param(shape, 1), dense = masked.clone().set_requires_grad();
  masked.set_mask(mask);
  auto opt_masked = make({masked});
  auto opt_dense = make({dense});
  for (const Tensor& g : random_grads(shape, 5, 2)) {
    masked.set_grad(g.clone());
    dense.set_grad(g.clone());
    opt_masked->step();
    opt_dense->step();
  }
  const std::vector<Tensor> state = state_of(*opt_masked), dense_state = state_of(*opt_dense);
  for (int64_t i = 0; i < shape.numel(); ++i) {
    CAPTURE(i);
    if (!mask->live(i)) {
      CHECK(masked.data()[i] == 0.0f);
      CHECK(!std::signbit(masked.data()[i]));
      for (const Tensor& s : state)
        if (s.defined()) CHECK(s.data()[i] == 0.0f);
    } else {
      CHECK(bitwise_equal(masked.data()[i], dense.data()[i]));
      for (size_t k = 0; k < state.size(); ++k)
        if (state[k].defined()) CHECK(bitwise_equal(state[k].data()[i], dense_state[k].data()[i]));
    }
  }
}

const std::vector<std::pair<const char*, MakeOptimizer>>& all_optimizers() {
  static const std::vector<std::pair<const char*, MakeOptimizer>> makers = {
      {"sgd momentum + weight decay",
       [](std::vector<Tensor> p) -> std::unique_ptr<Optimizer> {
         return std::make_unique<Sgd>(p, 0.1,
                                      SgdOptions{.momentum = 0.9, .dampening = 0.1, .weight_decay = 0.05});
       }},
      {"sgd nesterov",
       [](std::vector<Tensor> p) -> std::unique_ptr<Optimizer> {
         return std::make_unique<Sgd>(p, 0.1,
                                      SgdOptions{.momentum = 0.9, .weight_decay = 0.05, .nesterov = true});
       }},
      {"adam L2 + amsgrad",
       [](std::vector<Tensor> p) -> std::unique_ptr<Optimizer> {
         return std::make_unique<Adam>(p, 0.01, AdamOptions{.weight_decay = 0.1, .amsgrad = true});
       }},
      {"adamw",
       [](std::vector<Tensor> p) -> std::unique_ptr<Optimizer> {
         AdamWOptions o;
         o.weight_decay = 0.5;
         return std::make_unique<AdamW>(p, 0.01, o);
       }},
  };
  return makers;
}
}  // namespace

TEST_CASE(
    "optimizers: masked steps leave dead weights and state at exactly 0 and match dense on live entries") {
  for (const auto& [name, make] : all_optimizers()) check_masked_matches_dense(name, make);
}

TEST_CASE("optimizers: a new, sparser mask zeroes the state of the entries it kills") {
  for (const auto& [name, make] : all_optimizers()) {
    CAPTURE(name);
    const Shape shape{200};
    Tensor p = random_param(shape, 3);
    p.set_mask(random_mask(shape.numel(), 0.8f, 4));
    auto opt = make({p});
    const auto grads = random_grads(shape, 6, 5);
    for (int s = 0; s < 3; ++s) {
      p.set_grad(grads[s]);
      opt->step();
    }
    // Prune further: keep every other entry of the old mask (monotone, Note [Mask invariants] 6).
    std::vector<uint8_t> live(200);
    for (int64_t i = 0; i < 200; ++i) live[i] = p.mask()->live(i) && i % 2 == 0;
    auto sparser = std::make_shared<Mask>(live);
    p.set_mask(sparser);
    for (int s = 3; s < 6; ++s) {
      p.set_grad(grads[s]);
      opt->step();
    }
    int64_t killed = 0;
    for (int64_t i = 0; i < 200; ++i) {
      if (sparser->live(i)) continue;
      killed++;
      CHECK(p.data()[i] == 0.0f);
      for (const Tensor& s : state_of(*opt))
        if (s.defined()) CHECK(s.data()[i] == 0.0f);
    }
    CHECK(killed > 100);
  }
}

TEST_CASE("optimizers: step bumps the version of updated parameters and skips those without a gradient") {
  Tensor a = random_param(Shape{4}, 1), b = random_param(Shape{3}, 2);
  Adam opt({a, b}, 0.1);
  a.set_grad(Tensor::ones(Shape{4}));
  const auto before_b = b.to_vector();
  const uint64_t va = a.version(), vb = b.version();
  opt.step();
  CHECK(a.version() > va);
  CHECK(b.version() == vb);
  CHECK(b.to_vector() == before_b);
  CHECK(opt.state(0).step == 1);
  CHECK(opt.state(1).step == 0);
  CHECK(!opt.state(1).exp_avg.defined());
  opt.zero_grad();
  CHECK(!a.grad().defined());
}

TEST_CASE("sgd: the first momentum step copies the gradient into the buffer, later ones dampen") {
  Tensor p = Tensor::zeros(Shape{2}).set_requires_grad();
  Sgd opt({p}, 1.0, SgdOptions{.momentum = 0.5, .dampening = 0.5});
  CHECK(!opt.momentum_buffer(0).defined());
  p.set_grad(Tensor::from({2.0f, -4.0f}, Shape{2}));
  opt.step();
  CHECK(opt.momentum_buffer(0).to_vector() == std::vector<float>{2.0f, -4.0f});
  CHECK(p.to_vector() == std::vector<float>{-2.0f, 4.0f});
  opt.step();  // b = 0.5·b + 0.5·g
  CHECK(opt.momentum_buffer(0).to_vector() == std::vector<float>{2.0f, -4.0f});
  p.set_grad(Tensor::zeros(Shape{2}));
  opt.step();
  CHECK(opt.momentum_buffer(0).to_vector() == std::vector<float>{1.0f, -2.0f});
  CHECK(p.to_vector() == std::vector<float>{-5.0f, 10.0f});
}

TEST_CASE("optimizers: set_lr changes the next step") {
  Tensor p = Tensor::from({1.0f, 2.0f}, Shape{2}).set_requires_grad();
  Sgd opt({p}, 0.1);
  opt.set_lr(0.5);
  CHECK(opt.lr() == 0.5);
  p.set_grad(Tensor::from({2.0f, -2.0f}, Shape{2}));
  opt.step();
  CHECK(p.to_vector() == std::vector<float>{0.0f, 3.0f});
  CHECK_THROWS_AS(opt.set_lr(-1), ValueError);
}

TEST_CASE("optimizers: invalid parameters and options throw ValueError naming the optimizer") {
  Tensor p = random_param(Shape{3}, 1);
  CHECK_THROWS_WITH_AS(Sgd({}, 0.1), doctest::Contains("Sgd: got an empty parameter list"), ValueError);
  CHECK_THROWS_WITH_AS(Adam({p, p}), doctest::Contains("repeats parameter 0"), ValueError);
  CHECK_THROWS_WITH_AS(Adam({Tensor()}), doctest::Contains("undefined"), ValueError);
  CHECK_THROWS_WITH_AS(AdamW({relu(p)}), doctest::Contains("AdamW: parameter 0 of shape (3) is not a leaf"),
                       ValueError);
  CHECK_THROWS_WITH_AS(Sgd({p}, -0.1), doctest::Contains("invalid learning rate -0.1"), ValueError);
  CHECK_THROWS_AS(Sgd({p}, 0.1, SgdOptions{.momentum = -1}), ValueError);
  CHECK_THROWS_AS(Sgd({p}, 0.1, SgdOptions{.weight_decay = -1}), ValueError);
  CHECK_THROWS_WITH_AS(Sgd({p}, 0.1, SgdOptions{.nesterov = true}), doctest::Contains("Nesterov"),
                       ValueError);
  CHECK_THROWS_AS(Sgd({p}, 0.1, SgdOptions{.momentum = 0.9, .dampening = 0.1, .nesterov = true}), ValueError);
  CHECK_THROWS_WITH_AS(Adam({p}, 0.1, AdamOptions{.beta1 = 1.0}), doctest::Contains("Adam: invalid beta1 1"),
                       ValueError);
  CHECK_THROWS_AS(Adam({p}, 0.1, AdamOptions{.beta2 = -0.1}), ValueError);
  CHECK_THROWS_AS(Adam({p}, 0.1, AdamOptions{.eps = -1}), ValueError);
  CHECK_THROWS_AS(Adam({p}, 0.1, AdamOptions{.weight_decay = -1}), ValueError);
}

TEST_CASE("optimizers: NaN gradients propagate into the parameters they touch") {
  Tensor p = Tensor::from({1.0f, 2.0f}, Shape{2}).set_requires_grad();
  Adam opt({p}, 0.1);
  p.set_grad(Tensor::from({NAN, 1.0f}, Shape{2}));
  opt.step();
  CHECK(std::isnan(p.data()[0]));
  CHECK(std::isfinite(p.data()[1]));
}

TEST_CASE("optimizers: 1 and 2 threads give bitwise-identical steps, masked and dense") {
  const Shape shape{300, 170};
  const auto grads = random_grads(shape, 3, 9);
  for (bool masked : {false, true}) {
    for (const auto& [name, make] : all_optimizers()) {
      CAPTURE(name);
      CAPTURE(masked);
      std::vector<std::vector<float>> results;
      const int before = num_threads();
      for (int threads : {1, 2}) {
        set_num_threads(threads);
        GrainOverride split(1000);
        Tensor p = random_param(shape, 11);
        if (masked) p.set_mask(random_mask(shape.numel(), 0.4f, 12));
        auto opt = make({p});
        for (const Tensor& g : grads) {
          p.set_grad(g);
          opt->step();
        }
        results.push_back(p.to_vector());
      }
      set_num_threads(before);
      CHECK(std::memcmp(results[0].data(), results[1].data(), results[0].size() * sizeof(float)) == 0);
    }
  }
}

TEST_CASE("adam and adamw: after 200 steps with weight decay, dead weights and both moments are exactly 0") {
  for (const bool decoupled : {false, true}) {
    CAPTURE(decoupled);
    const Shape shape{24, 16};
    const auto mask = random_mask(shape.numel(), 0.25f, 21);
    Tensor p = random_param(shape, 22).set_mask(mask);
    AdamWOptions o;
    o.weight_decay = 0.1;
    std::unique_ptr<Adam> opt = decoupled ? std::make_unique<AdamW>(std::vector<Tensor>{p}, 0.01, o)
                                          : std::make_unique<Adam>(std::vector<Tensor>{p}, 0.01, o);
    Generator gen(23);
    for (int s = 0; s < 200; ++s) {
      p.set_grad(Tensor::randn(shape, gen));  // dense: nonzero at dead entries as well
      opt->step();
    }
    CHECK(opt->state(0).step == 200);
    int64_t dead = 0;
    for (int64_t i = 0; i < shape.numel(); ++i) {
      if (mask->live(i)) {
        CHECK(opt->state(0).exp_avg_sq.data()[i] > 0.0f);
        continue;
      }
      ++dead;
      CHECK(p.data()[i] == 0.0f);
      CHECK(opt->state(0).exp_avg.data()[i] == 0.0f);
      CHECK(opt->state(0).exp_avg_sq.data()[i] == 0.0f);
    }
    CHECK(dead > shape.numel() / 2);
  }
}

TEST_CASE("adam: live weights under a fixed mask follow the study's dense step then weights times mask") {
  // The study (LSTM.py) masks nothing inside the optimizer: a dense Adam step, then w *= mask. Its
  // moments of dead entries keep accumulating, but a live entry's update reads only its own moments,
  // so the live trajectories must be identical to the masked optimizer's.
  const Shape shape{12, 9};
  const auto mask = random_mask(shape.numel(), 0.4f, 31);
  Tensor masked = random_param(shape, 32).set_mask(mask);
  Tensor study = random_param(shape, 32);
  for (int64_t i = 0; i < shape.numel(); ++i)
    if (!mask->live(i)) study.mutable_data()[i] = 0.0f;
  const Tensor x = random_param(Shape{20, 9}, 33).detach(), y = random_param(Shape{20, 12}, 34).detach();
  const AdamOptions o{.weight_decay = 0.01};
  Adam opt_masked({masked}, 0.02, o), opt_study({study}, 0.02, o);
  for (int s = 0; s < 200; ++s) {
    for (auto [w, opt] : {std::pair{&masked, &opt_masked}, std::pair{&study, &opt_study}}) {
      opt->zero_grad();
      mse_loss(linear(x, *w), y).backward();
      opt->step();
    }
    float* w = study.mutable_data();
    for (int64_t i = 0; i < shape.numel(); ++i) w[i] *= mask->live(i) ? 1.0f : 0.0f;
  }
  int64_t moved = 0;
  const Tensor start = random_param(shape, 32);
  for (int64_t i = 0; i < shape.numel(); ++i) {
    CAPTURE(i);
    CHECK(masked.data()[i] == study.data()[i]);
    if (mask->live(i)) {
      CHECK(bitwise_equal(masked.data()[i], study.data()[i]));
      moved += masked.data()[i] != start.data()[i];
    }
  }
  CHECK(moved == mask->nnz());
  // The study's dead moments are not 0; the masked optimizer's are.
  const Tensor& study_m = opt_study.state(0).exp_avg;
  bool study_dead_moment = false;
  for (int64_t i = 0; i < shape.numel(); ++i)
    if (!mask->live(i)) {
      study_dead_moment = study_dead_moment || study_m.data()[i] != 0.0f;
      CHECK(opt_masked.state(0).exp_avg.data()[i] == 0.0f);
    }
  CHECK(study_dead_moment);
}
