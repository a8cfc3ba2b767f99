#pragma once
// RNN: torch.nn.RNN (Elman, one direction, with biases), nonlinearity "tanh" or "relu";
// Recurrent (recurrent.hpp) describes the rest.
#include <string>

#include "synapse/nn/recurrent.hpp"

namespace syn::nn {

// "tanh" -> rnn_tanh, "relu" -> rnn_relu; anything else throws ValueError.
RecurrentCell rnn_cell(const std::string& nonlinearity);

class RNN : public Recurrent {
 public:
  RNN(const RecurrentOptions& options, Generator& gen, const std::string& nonlinearity = "tanh")
      : Recurrent(rnn_cell(nonlinearity), options, gen) {}
};

}  // namespace syn::nn
