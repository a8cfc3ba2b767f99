#include <doctest/doctest.h>

#include <cstring>

#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/ops/loss.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
ModelConfig config(const std::string& kind, const std::string& reg = "none") {
  ModelConfig c;
  c.kind = kind;
  c.input_size = 2;
  c.lookback = 12;
  c.horizon = 4;
  c.hidden_size = 10;
  c.num_layers = 2;
  c.reg = reg;
  c.seed = 3;
  return c;
}
}  // namespace

TEST_CASE("RecurrentForecaster: the peer model's state dict names (rnn.*, head.*)") {
  RecurrentForecaster m(config("lstm"));
  std::vector<std::string> names;
  for (const auto& [name, _] : m.state_dict()) names.push_back(name);
  const std::vector<std::string> expected = {
      "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l1",
      "rnn.weight_hh_l1", "rnn.bias_ih_l1",   "rnn.bias_hh_l1", "head.weight",    "head.bias"};
  CHECK(names == expected);
  CHECK(m.head().weight().shape() == Shape{4, 10});
  CHECK(m.rnn().cell() == RecurrentCell::lstm);
  ModelConfig relu = config("rnn");
  relu.nonlinearity = "relu";
  CHECK(RecurrentForecaster(relu).rnn().cell() == RecurrentCell::rnn_relu);
  CHECK(RecurrentForecaster(config("gru")).rnn().layer(1).w_ih.shape() == Shape{30, 10});
}

TEST_CASE("RecurrentForecaster: the same seed gives the same model, another seed another") {
  RecurrentForecaster a(config("gru")), b(config("gru"));
  ModelConfig other = config("gru");
  other.seed = 4;
  RecurrentForecaster c(other);
  CHECK(a.head().weight().to_vector() == b.head().weight().to_vector());
  CHECK(a.rnn().layer(0).w_hh.to_vector() == b.rnn().layer(0).w_hh.to_vector());
  CHECK(a.rnn().layer(0).w_hh.to_vector() != c.rnn().layer(0).w_hh.to_vector());
}

TEST_CASE("RecurrentForecaster: a few Adam steps on a learnable target lower the L1 loss") {
  for (const char* kind : {"rnn", "lstm", "gru"}) {
    CAPTURE(std::string(kind));
    RecurrentForecaster m(config(kind));
    Generator gen(1);
    const Tensor x = Tensor::randn(Shape{16, 12, 2}, gen);
    // Target: the last four values of feature 0, a function of the input the model can learn.
    Tensor y = Tensor::empty(Shape{16, 4});
    for (int64_t n = 0; n < 16; ++n)
      for (int64_t h = 0; h < 4; ++h) y.mutable_data()[n * 4 + h] = x.at({n, 8 + h, 0});
    Adam opt(m.parameters(), 1e-2);
    float first = 0, last = 0;
    for (int step = 0; step < 50; ++step) {
      opt.zero_grad();
      Tensor loss = mae_loss(m.forward(x), y);
      loss.backward();
      opt.step();
      (step == 0 ? first : last) = loss.item();
    }
    CHECK(last < 0.8f * first);
  }
}

TEST_CASE("RecurrentForecaster: a training step is bitwise identical with 1 and 2 threads") {
  auto step_grads = [](int threads) {
    const int previous = num_threads();
    set_num_threads(threads);
    GrainOverride grain(3);
    RecurrentForecaster m(config("lstm"));
    Generator gen(2);
    const Tensor x = Tensor::randn(Shape{9, 12, 2}, gen), y = Tensor::randn(Shape{9, 4}, gen);
    mae_loss(m.forward(x), y).backward();
    std::vector<std::vector<float>> grads;
    for (const Tensor& p : m.parameters()) grads.push_back(p.grad().to_vector());
    set_num_threads(previous);
    return grads;
  };
  const auto one = step_grads(1), two = step_grads(2);
  REQUIRE(one.size() == two.size());
  for (size_t i = 0; i < one.size(); ++i) CHECK(one[i] == two[i]);
}

TEST_CASE("RecurrentForecaster: head dropout in training and in MC mode, off in eval") {
  Generator gen(4);
  const Tensor x = Tensor::randn(Shape{3, 12, 2}, gen);
  RecurrentForecaster plain(config("lstm", "none")), dropped(config("lstm", "dropout")),
      mc(config("lstm", "mc-dropout"));
  CHECK(plain.dropout().p() == 0.f);
  CHECK(dropped.dropout().p() == doctest::Approx(0.2f));
  CHECK(plain.forward(x).to_vector() == plain.forward(x).to_vector());
  CHECK(dropped.forward(x).to_vector() != dropped.forward(x).to_vector());
  dropped.eval();
  CHECK(dropped.forward(x).to_vector() == dropped.forward(x).to_vector());
  mc.eval();
  CHECK(mc.forward(x).to_vector() == mc.forward(x).to_vector());  // validation stays deterministic
  mc.set_mc_dropout(true);
  CHECK(mc.dropout().active());
  CHECK(mc.forward(x).to_vector() != mc.forward(x).to_vector());
}

TEST_CASE("RecurrentForecaster: wrong kinds and inputs are typed errors") {
  CHECK_THROWS_WITH_AS(RecurrentForecaster(config("patchtst")), doctest::Contains("patchtst"), ValueError);
  ModelConfig bad = config("lstm");
  bad.hidden_size = 0;
  CHECK_THROWS_AS(RecurrentForecaster{bad}, ValueError);
  RecurrentForecaster m(config("lstm"));
  CHECK_THROWS_WITH_AS(m.forward(Tensor::zeros(Shape{2, 12, 3})), doctest::Contains("(2, 12, 3)"),
                       ShapeError);
  CHECK_THROWS_AS(m.forward(Tensor::zeros(Shape{2, 12})), ShapeError);
  CHECK(m.forward(Tensor::zeros(Shape{5, 7, 2})).shape() == Shape{5, 4});  // any sequence length
}
