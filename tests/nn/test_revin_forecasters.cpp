// RevIN around every model kind (Note [RevIN around a forecaster]): the forecast follows a shift of
// the input's level exactly and scales with its spread.
#include <doctest/doctest.h>

#include "synapse/core/random.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/train/model_factory.hpp"

using namespace syn;
using namespace syn::nn;

TEST_CASE("RevIN around a forecaster: every kind forecasts a shifted and scaled window shifted and scaled") {
  for (const std::string kind : {"rnn", "lstm", "gru", "linear", "paper-patchtst", "patchtst"}) {
    CAPTURE(kind);
    ModelConfig c;
    c.kind = kind;
    c.lookback = 16;
    c.horizon = 3;
    c.hidden_size = 8;
    c.num_layers = 1;
    c.patch_len = 4;
    c.stride = 4;
    c.d_model = 8;
    c.n_heads = 2;
    c.n_layers = 1;
    c.d_ff = 16;
    c.norm = "layer";
    c.revin = true;
    auto model = train::make_forecaster(c);
    model->eval();
    bool has_revin = false;
    for (const auto& [name, _] : model->named_parameters()) has_revin = has_revin || name.find("revin.") != std::string::npos;
    CHECK(has_revin);
    Generator gen(3);
    const Tensor x = Tensor::randn(Shape{4, 16, 1}, gen);
    const Tensor y = model->forward(x);
    const Tensor moved = model->forward(add(mul(x, 3.f), 100.f));
    for (int64_t i = 0; i < y.numel(); ++i)
      CHECK(moved.data()[i] == doctest::Approx(3.f * y.data()[i] + 100.f).epsilon(1e-4));
    c.revin = false;
    CHECK(train::make_forecaster(c)->named_parameters().size() + 2 == model->named_parameters().size());
  }
}
