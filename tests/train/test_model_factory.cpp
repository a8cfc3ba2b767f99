#include <doctest/doctest.h>

#include "synapse/core/error.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/train/model_factory.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;

TEST_CASE("make_forecaster: builds the kind the config names") {
  const auto model = make_forecaster(syn::testing::linear_config(12, 4, 2));
  REQUIRE(model);
  CHECK(dynamic_cast<nn::LinearForecaster*>(model.get()) != nullptr);
  CHECK(model->config().lookback == 12);
  CHECK(model->num_parameters() == 4 * 24 + 4);
  CHECK(model->is_training());
}

TEST_CASE("make_forecaster: every kind the config accepts builds a forecaster of that kind") {
  for (const std::string& kind : available_model_kinds()) {
    nn::ModelConfig c = syn::testing::linear_config(32, 4);
    c.kind = kind;
    c.d_model = 16;
    c.n_heads = 4;
    c.hidden_size = 8;
    const auto model = make_forecaster(c);
    REQUIRE(model);
    CHECK(model->config().kind == kind);
    CHECK(model->num_parameters() > 0);
  }
}

TEST_CASE("make_forecaster: an unknown kind and an invalid config are ValueErrors") {
  nn::ModelConfig c = syn::testing::linear_config(12, 4);
  c.kind = "mamba";
  CHECK_THROWS_WITH_AS(make_forecaster(c), doctest::Contains("'kind' is 'mamba'"), ValueError);
  c.kind = "linear";
  c.horizon = 0;
  CHECK_THROWS_WITH_AS(make_forecaster(c), doctest::Contains("'horizon' must be > 0"), ValueError);
}
