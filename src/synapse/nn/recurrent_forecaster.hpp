#pragma once
// RecurrentForecaster: the RNN / LSTM / GRU forecaster (ModelConfig kind rnn | lstm | gru):
//   x (N, T, input_size) -> recurrent stack (hidden_size, num_layers; rnn: nonlinearity)
//   -> the last layer's hidden state at the last step (N, H) -> dropout (reg != none)
//   -> Linear(H, horizon) -> (N, horizon)
// The peer workload's model (torch `LSTMF` in shared/peers/torch_peer.py): children `rnn` and `head`,
// so state dicts carry torch's names (rnn.weight_ih_l0, ..., head.weight, head.bias). No dropout
// between recurrent layers. reg = mc-dropout keeps the head dropout active in eval (Note [MC dropout]).
// With revin=true a child `revin` wraps the whole model (Note [RevIN around a forecaster]).
#include <memory>

#include "synapse/nn/dropout_layer.hpp"
#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/recurrent.hpp"

namespace syn::nn {

class RecurrentForecaster : public Forecaster {
 public:
  // Validates the config; ValueError unless kind is rnn, lstm or gru. Parameters are drawn from
  // Generator(config.seed, 1) (rnn) and Generator(config.seed, 2) (head); dropout masks from stream 3.
  explicit RecurrentForecaster(ModelConfig config);

  // x: (N, T, input_size) -> y: (N, horizon)
  Tensor forward(const Tensor& x) override;

  Recurrent& rnn() { return *rnn_; }
  Linear& head() { return *head_; }
  Dropout& dropout() { return *dropout_; }

 private:
  std::shared_ptr<Recurrent> rnn_;
  std::shared_ptr<Linear> head_;
  std::shared_ptr<Dropout> dropout_;
};

}  // namespace syn::nn
