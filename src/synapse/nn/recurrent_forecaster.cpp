#include "synapse/nn/recurrent_forecaster.hpp"

#include "synapse/core/error.hpp"
#include "synapse/nn/rnn.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {
namespace {

RecurrentCell cell_of(const ModelConfig& config) {
  config.validate();
  if (config.kind == "lstm") return RecurrentCell::lstm;
  if (config.kind == "gru") return RecurrentCell::gru;
  SYN_CHECK_T(ValueError, config.kind == "rnn", "RecurrentForecaster: kind '", config.kind,
              "' is not a recurrent model (rnn, lstm or gru)");
  return rnn_cell(config.nonlinearity);
}

}  // namespace

RecurrentForecaster::RecurrentForecaster(ModelConfig config) : Forecaster(std::move(config)) {
  const RecurrentCell cell = cell_of(config_);
  Generator rnn_gen(config_.seed, 1), head_gen(config_.seed, 2);
  RecurrentOptions options;
  options.input_size = config_.input_size;
  options.hidden_size = config_.hidden_size;
  options.num_layers = config_.num_layers;
  options.batch_first = false;  // forward() hands it time-major input and reads only the final state
  rnn_ = register_module("rnn", std::make_shared<Recurrent>(cell, options, rnn_gen));
  head_ = register_module("head", std::make_shared<Linear>(config_.hidden_size, config_.horizon, head_gen));
  dropout_ = register_module("dropout", std::make_shared<Dropout>(config_.active_dropout(), config_.seed, 3));
  add_revin();
}

Tensor RecurrentForecaster::forward(const Tensor& x) {
  SYN_CHECK_T(ShapeError, x.defined() && x.rank() == 3 && x.size(2) == config_.input_size,
              "RecurrentForecaster: x ", x.defined() ? x.shape().str() : "(undefined)", " must be (N, T, ",
              config_.input_size, ")");
  return with_revin(x, [&](const Tensor& in) {
    const RecurrentResult r = rnn_->forward(transpose(in, 0, 1));
    const Tensor last =
        reshape(narrow(r.state.h, 0, config_.num_layers - 1, 1), {in.size(0), config_.hidden_size});
    return head_->forward(dropout_->forward(last));
  });
}

}  // namespace syn::nn
