#include "synapse/nn/rnn.hpp"

#include "synapse/core/error.hpp"

namespace syn::nn {

RecurrentCell rnn_cell(const std::string& nonlinearity) {
  if (nonlinearity == "tanh") return RecurrentCell::rnn_tanh;
  if (nonlinearity == "relu") return RecurrentCell::rnn_relu;
  throw ValueError("RNN: nonlinearity '" + nonlinearity + "' must be 'tanh' or 'relu'");
}

}  // namespace syn::nn
