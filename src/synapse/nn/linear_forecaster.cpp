#include "synapse/nn/linear_forecaster.hpp"

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/ops/dropout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/matmul.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {
namespace {
// Generator streams of Generator(config.seed, stream): initialisation and dropout draw apart.
constexpr uint64_t kInitStream = 0;
constexpr uint64_t kDropoutStream = 1;

const ModelConfig& validated(const ModelConfig& config) {
  config.validate();
  return config;
}
}  // namespace

LinearForecaster::LinearForecaster(ModelConfig config)
    : Forecaster(validated(config)), dropout_gen_(config_.seed, kDropoutStream) {
  const int64_t in = config_.lookback * config_.input_size;
  weight_ = register_parameter("weight", Tensor::zeros(Shape{config_.horizon, in}));
  bias_ = register_parameter("bias", Tensor::zeros(Shape{config_.horizon}));
  register_random_stream("dropout", dropout_gen_);
  Generator gen(config_.seed, kInitStream);
  init::linear_(weight_, bias_, gen);
  add_revin();
}

// x: (N, L, F) -> y: (N, H)
Tensor LinearForecaster::forward(const Tensor& x) {
  const int64_t lookback = config_.lookback, features = config_.input_size;
  SYN_CHECK_T(ShapeError, x.rank() == 3 && x.size(1) == lookback && x.size(2) == features,
              "LinearForecaster: x ", x.shape(), " vs expected (N, ", lookback, ", ", features, ")");
  const int64_t n = x.size(0);
  return with_revin(x, [&](const Tensor& in) {
    const Tensor last = narrow(in, 1, lookback - 1, 1);              // (N, 1, F)
    Tensor flat = reshape(sub(in, last), {n, lookback * features});  // (N, L·F)
    flat = dropout(flat, config_.active_dropout(), dropout_active(), dropout_gen_);
    const Tensor last_target = reshape(narrow(last, 2, 0, 1), {n, 1});  // (N, 1)
    return add(linear(flat, weight_, bias_), last_target);              // (N, H)
  });
}

}  // namespace syn::nn
