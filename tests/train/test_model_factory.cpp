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
  CHECK(available_model_kinds() == std::vector<std::string>{"linear"});
}

TEST_CASE("make_forecaster: a kind this build lacks and an invalid config are ValueErrors") {
  nn::ModelConfig c = syn::testing::linear_config(12, 4);
  c.kind = "lstm";
  CHECK_THROWS_WITH_AS(make_forecaster(c),
                       doctest::Contains("'lstm' is not available in this build (supported: linear)"),
                       ValueError);
  c.kind = "mamba";
  CHECK_THROWS_WITH_AS(make_forecaster(c), doctest::Contains("'kind' is 'mamba'"), ValueError);
  c.kind = "linear";
  c.horizon = 0;
  CHECK_THROWS_WITH_AS(make_forecaster(c), doctest::Contains("'horizon' must be > 0"), ValueError);
}
