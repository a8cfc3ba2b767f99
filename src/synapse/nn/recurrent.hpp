#pragma once
// Recurrent: a stack of fused recurrent layers (ops/recurrent.hpp) with torch.nn.RNN / LSTM / GRU's
// parameters, names, initialisation and semantics (one direction): parameters weight_ih_l{k}
// (G·H, I or H), weight_hh_l{k} (G·H, H), bias_ih_l{k}, bias_hh_l{k} (G·H) in that order per layer,
// all uniform(±1/sqrt(H)) (init::recurrent_); dropout on the outputs of every layer but the last while
// training (torch's `dropout` argument). rnn.hpp, lstm.hpp and gru.hpp name the three kinds.
#include <cstdint>
#include <memory>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/nn/dropout_layer.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/ops/recurrent.hpp"

namespace syn::nn {

struct RecurrentOptions {
  int64_t input_size = 1;
  int64_t hidden_size = 64;
  int64_t num_layers = 1;
  float dropout = 0.f;      // between layers, in [0, 1)
  bool batch_first = true;  // x: (N, T, I) and output (N, T, H); else (T, N, I) and (T, N, H)
};

// The hidden (and, for LSTM, cell) state of every layer: h, c: (num_layers, N, H); c undefined
// for RNN and GRU. An undefined h (or c) means zeros.
struct RecurrentState {
  Tensor h, c;
  // The same values cut from the graph, for truncated backpropagation through time.
  RecurrentState detach() const;
};

struct RecurrentResult {
  Tensor output;         // the last layer's hidden state at every step
  RecurrentState state;  // the final state of every layer
};

class Recurrent : public Module {
 public:
  // Sizes must be positive and dropout in [0, 1) (ValueError). Weights are drawn from gen in
  // registration order; the dropout masks from Generator(gen's next draw, 0).
  Recurrent(RecurrentCell cell, const RecurrentOptions& options, Generator& gen);

  // x: (N, T, I) or (T, N, I) (options.batch_first) -> output (N, T, H) or (T, N, H), final state.
  RecurrentResult forward(const Tensor& x, const RecurrentState& state = {});

  RecurrentCell cell() const { return cell_; }
  const RecurrentOptions& options() const { return options_; }
  // The parameters of layer k (shared with the module).
  const RecurrentWeights& layer(int64_t k) const;

 private:
  RecurrentCell cell_;
  RecurrentOptions options_;
  std::vector<RecurrentWeights> layers_;
  std::shared_ptr<Dropout> dropout_;
};

}  // namespace syn::nn
