#include <doctest/doctest.h>

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/nn/dropout_layer.hpp"
#include "synapse/nn/mc_dropout.hpp"
#include "synapse/nn/patchtst_forecaster.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
int64_t zeros(const Tensor& t) {
  int64_t n = 0;
  for (float v : t.to_vector()) n += v == 0.f;
  return n;
}

ModelConfig small_config(const std::string& reg) {
  ModelConfig c;
  c.kind = "lstm";
  c.input_size = 2;
  c.hidden_size = 8;
  c.num_layers = 2;
  c.horizon = 3;
  c.reg = reg;
  c.dropout = 0.3f;
  c.seed = 5;
  return c;
}
}  // namespace

TEST_CASE("Dropout module: active in training, identity in eval unless in MC mode") {
  const Tensor x = Tensor::ones(Shape{1000});
  Dropout d(0.5f, 7);
  CHECK(d.active());
  const int64_t dropped = zeros(d.forward(x));
  CHECK(dropped > 400);
  CHECK(dropped < 600);
  d.eval();
  CHECK_FALSE(d.active());
  CHECK(d.forward(x).same(x));
  d.set_mc_dropout(true);
  CHECK(d.active());
  CHECK(zeros(d.forward(x)) > 400);
  Dropout none(0.f);
  none.set_mc_dropout(true);
  CHECK_FALSE(none.active());
  CHECK_THROWS_AS(Dropout(1.f), ValueError);
  CHECK_THROWS_AS(Dropout(-0.1f), ValueError);
}

TEST_CASE("Dropout module: its own stream, reproducible from seed and stream") {
  const Tensor x = Tensor::ones(Shape{256});
  Dropout a(0.4f, 3, 1), b(0.4f, 3, 1), c(0.4f, 3, 2);
  const std::vector<float> ya = a.forward(x).to_vector();
  CHECK(ya == b.forward(x).to_vector());
  CHECK(ya != c.forward(x).to_vector());
  CHECK(ya != a.forward(x).to_vector());  // the stream advances
}

TEST_CASE("mc_predict: mean and population standard deviation of the stochastic passes") {
  RecurrentForecaster model(small_config("mc-dropout")), twin(small_config("mc-dropout"));
  model.eval();
  twin.eval();
  twin.set_mc_dropout(true);
  Generator gen(9);
  const Tensor x = Tensor::randn(Shape{4, 6, 2}, gen);
  const int64_t samples = 7;
  const McPrediction p = mc_predict(model, x, samples);
  CHECK(p.mean.shape() == Shape{4, 3});
  CHECK(p.stddev.shape() == Shape{4, 3});
  // The twin draws the same masks: recompute mean and deviation by hand, two-pass in double.
  std::vector<std::vector<float>> ys;
  {
    InferenceMode inference;
    for (int64_t s = 0; s < samples; ++s) ys.push_back(twin.forward(x).to_vector());
  }
  for (size_t i = 0; i < ys[0].size(); ++i) {
    double mean = 0, var = 0;
    for (const auto& y : ys) mean += y[i];
    mean /= samples;
    for (const auto& y : ys) var += (y[i] - mean) * (y[i] - mean);
    const double sd = std::sqrt(var / samples);
    CHECK(p.mean.data()[i] == doctest::Approx(mean).epsilon(1e-6));
    CHECK(p.stddev.data()[i] == doctest::Approx(sd).epsilon(1e-5));
    CHECK(sd > 0);
  }
}

TEST_CASE("mc_predict: turns MC mode on for the call only, needs samples and live dropout") {
  RecurrentForecaster model(small_config("dropout"));
  model.eval();
  Generator gen(10);
  const Tensor x = Tensor::randn(Shape{2, 5, 2}, gen);
  CHECK_FALSE(model.mc_dropout());
  const McPrediction p = mc_predict(model, x, 4);
  CHECK_FALSE(model.mc_dropout());  // restored
  CHECK_FALSE(model.is_training());
  double spread = 0;
  for (float v : p.stddev.to_vector()) spread += v;
  CHECK(spread > 0);
  // In eval without MC mode the forecaster is deterministic.
  CHECK(model.forward(x).to_vector() == model.forward(x).to_vector());
  CHECK_THROWS_AS(mc_predict(model, x, 0), ValueError);
  RecurrentForecaster plain(small_config("none"));
  CHECK_THROWS_WITH_AS(mc_predict(plain, x, 3), doctest::Contains("no dropout"), ValueError);
}

TEST_CASE("mc_predict: batch norm keeps its running statistics (eval + MC mode, not training)") {
  ModelConfig c;
  c.kind = "patchtst";
  c.input_size = 2;
  c.lookback = 16;
  c.horizon = 3;
  c.patch_len = 4;
  c.stride = 2;
  c.d_model = 8;
  c.n_heads = 2;
  c.n_layers = 1;
  c.d_ff = 16;
  c.norm = "batch";
  c.reg = "mc-dropout";
  PatchTSTForecaster model(c);
  model.eval();
  Generator gen(3);
  const Tensor x = Tensor::randn(Shape{4, 16, 2}, gen);
  std::vector<std::vector<float>> before;
  for (const auto& [name, t] : model.named_buffers()) before.push_back(t.to_vector());
  const McPrediction p = mc_predict(model, x, 5);
  size_t i = 0;
  for (const auto& [name, t] : model.named_buffers()) CHECK_MESSAGE(t.to_vector() == before[i++], name);
  double spread = 0;
  for (float v : p.stddev.to_vector()) spread += v;
  CHECK(spread > 0);
}
