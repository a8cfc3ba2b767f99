#pragma once
// Dropout: torch.nn.Dropout as a module, drawing its masks from a Generator stream of its own (so
// adding or removing a dropout layer shifts no other random stream). Active in training and in
// MC mode (Note [MC dropout] in nn/module.hpp).
#include <cstdint>

#include "synapse/core/random.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

class Dropout : public Module {
 public:
  // p in [0, 1) (ValueError otherwise). Masks come from Generator(seed, stream).
  explicit Dropout(float p, uint64_t seed = 0, uint64_t stream = 0);

  // x: any shape -> y: same shape. Active (inverted dropout, ops/dropout.hpp) when p > 0 and the
  // module is training or in MC mode; otherwise returns x itself.
  Tensor forward(const Tensor& x);

  float p() const { return p_; }
  bool active() const { return p_ > 0.f && dropout_active(); }

 private:
  float p_;
  Generator gen_;
};

}  // namespace syn::nn
