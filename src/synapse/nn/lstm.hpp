#pragma once
// LSTM: torch.nn.LSTM (one direction, with biases); Recurrent (recurrent.hpp) describes the rest.
#include "synapse/nn/recurrent.hpp"

namespace syn::nn {

class LSTM : public Recurrent {
 public:
  LSTM(const RecurrentOptions& options, Generator& gen) : Recurrent(RecurrentCell::lstm, options, gen) {}
};

}  // namespace syn::nn
