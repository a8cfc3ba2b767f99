#pragma once
// GRU: torch.nn.GRU (one direction, with biases); Recurrent (recurrent.hpp) describes the rest.
#include "synapse/nn/recurrent.hpp"

namespace syn::nn {

class GRU : public Recurrent {
 public:
  GRU(const RecurrentOptions& options, Generator& gen) : Recurrent(RecurrentCell::gru, options, gen) {}
};

}  // namespace syn::nn
