#include <doctest/doctest.h>

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/forecast/scaler.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/train/evaluation.hpp"
#include "synapse/train/forecast_origins.hpp"
#include "synapse/train/prediction.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;
using syn::testing::linear_config;
using syn::testing::sine_series;

TEST_CASE("predict: one eval-mode pass without MC dropout, in batches that cover every window") {
  nn::ModelConfig c = linear_config(8, 3);
  c.reg = "dropout";
  c.dropout = 0.5f;
  nn::LinearForecaster model(c);
  Generator gen(1);
  const Tensor x = Tensor::randn(Shape{300, 8, 1}, gen);  // 300: a full batch of 256 and a partial one
  model.train();
  const Prediction p = predict(model, x);
  CHECK(model.is_training());  // mode restored
  CHECK_FALSE(p.spread.defined());
  CHECK(p.samples == 1);
  model.eval();
  CHECK(p.mean.to_vector() == model.forward(x).to_vector());
  CHECK(forward_all(model, x, 7).to_vector() == p.mean.to_vector());
}

TEST_CASE("predict: MC dropout averages mc_samples stochastic passes and reports their spread") {
  nn::ModelConfig c = linear_config(8, 3);
  c.reg = "mc-dropout";
  c.dropout = 0.3f;
  c.mc_samples = 40;
  nn::LinearForecaster model(c);
  Generator gen(1);
  const Tensor x = Tensor::randn(Shape{20, 8, 1}, gen);
  model.eval();
  const std::vector<float> deterministic = model.forward(x).to_vector();
  const Prediction p = predict(model, x);
  CHECK_FALSE(model.is_training());
  REQUIRE(p.spread.defined());
  CHECK(p.samples == 40);
  CHECK(p.spread.shape() == Shape({20, 3}));
  double mean_gap = 0;
  for (int64_t i = 0; i < p.spread.numel(); ++i) {
    CHECK(p.spread.data()[i] > 0.f);
    mean_gap += std::fabs(p.mean.data()[i] - deterministic[static_cast<size_t>(i)]);
  }
  // Inverted dropout is unbiased for a linear map: the MC mean is near the deterministic forecast,
  // closer than the spread of one pass.
  double mean_spread = 0;
  for (float s : p.spread.to_vector()) mean_spread += s;
  CHECK(mean_gap < 0.5 * mean_spread);
}

TEST_CASE("evaluate: every test window is scored, with the saved scaler") {
  const forecast::Series series = sine_series(1000);
  DataSettings settings;
  settings.target = "y";
  settings.protocol = forecast::Protocol::clean();
  forecast::Scaler scaler;
  scaler.fit(series.values, 1, {0, 700});
  settings.scaler = scaler.state();
  nn::LinearForecaster model(linear_config(24, 6));
  const Evaluation test = evaluate(model, series, settings, EvalPart::test);
  CHECK(test.data.test.count() == 200 - 6 + 1);  // windows own their targets: rows 800..999
  CHECK(test.metrics.count == test.data.test.count() * 6);
  CHECK(test.data.scaler.state().offset == settings.scaler.offset);
  const Evaluation all = evaluate(model, series, settings, EvalPart::all);
  CHECK(all.data.test.count() == 1000 - 24 - 6 + 1);
  CHECK(all.metrics.count == all.data.test.count() * 6);
  CHECK_THROWS_WITH_AS(evaluate(model, sine_series(20), settings, EvalPart::test),
                       doctest::Contains("<sine>: 20 rows"), ValueError);
  CHECK(eval_part_from_name("all") == EvalPart::all);
  CHECK_THROWS_AS(eval_part_from_name("val"), ValueError);
}

TEST_CASE("forecast_origins: one input per row with a full lookback, the last row included") {
  forecast::Series s;
  s.source = "<s>";
  s.columns = {"y", "x"};
  for (int r = 0; r < 6; ++r) s.values.insert(s.values.end(), {double(r), double(10 * r)});
  forecast::Scaler identity(forecast::ScalerState{forecast::ScalerKind::standard, {0, 0}, {1, 1}});
  const ForecastOrigins o = forecast_origins(s, identity, 4);
  CHECK(o.count() == 3);
  CHECK(o.first_row == 3);
  CHECK(o.inputs.shape() == Shape({3, 4, 2}));
  CHECK(o.inputs.at({2, 3, 0}) == 5.f);  // the last origin ends at the last row
  CHECK(o.inputs.at({2, 3, 1}) == 50.f);
  CHECK(o.inputs.at({0, 0, 0}) == 0.f);
  CHECK_THROWS_WITH_AS(forecast_origins(s, identity, 7), doctest::Contains("<s>: 6 rows"), ValueError);
}
