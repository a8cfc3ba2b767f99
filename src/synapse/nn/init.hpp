#pragma once
// Parameter initialisers matching torch.nn.init (distributions and bounds, not torch's random
// streams). Each fills the tensor (a handle: the caller's tensor is written) in place from a
// Generator, bumps its version, keeps the dead entries of a masked tensor at 0 (Note [Mask
// invariants] 2) and returns the tensor. Uniform draws are low + (high - low)·u with u
// in [0, 1), rounded to float.
#include <cstdint>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"

namespace syn::nn::init {

struct Fans {
  int64_t fan_in, fan_out;
};
// torch.nn.init._calculate_fan_in_and_fan_out: for a weight of shape (out, in, k...),
// fan_in = in·prod(k), fan_out = out·prod(k). Rank < 2 throws ValueError.
Fans fans(const Shape& shape);

// torch.nn.init.uniform_(t, low, high)
Tensor uniform_(Tensor t, Generator& gen, double low, double high);
// torch.nn.init.normal_(t, mean, std)
Tensor normal_(Tensor t, Generator& gen, double mean = 0.0, double stddev = 1.0);
// torch.nn.init.zeros_ / ones_ / constant_
Tensor zeros_(Tensor t);
Tensor ones_(Tensor t);
Tensor constant_(Tensor t, double value);

enum class FanMode { fan_in, fan_out };
// torch.nn.init.kaiming_uniform_(t, a, mode, nonlinearity='leaky_relu'):
// gain = sqrt(2 / (1 + a²)), bound = gain · sqrt(3 / fan). With a = sqrt(5), as torch.nn.Linear
// uses, bound = 1 / sqrt(fan_in).
Tensor kaiming_uniform_(Tensor t, Generator& gen, double a = 0.0, FanMode mode = FanMode::fan_in);
// torch.nn.init.xavier_uniform_(t, gain): bound = gain · sqrt(6 / (fan_in + fan_out)).
// torch.nn.MultiheadAttention initialises in_proj_weight this way.
Tensor xavier_uniform_(Tensor t, Generator& gen, double gain = 1.0);

// torch.nn.Linear.reset_parameters: weight (out, in) by kaiming_uniform_(a = sqrt(5)), bias (out)
// by uniform(-1/sqrt(in), 1/sqrt(in)) (bound 0 when in = 0). An undefined bias is skipped.
void linear_(Tensor weight, Tensor bias, Generator& gen);
// torch.nn.RNNBase.reset_parameters (RNN, LSTM, GRU): every weight and bias
// uniform(-1/sqrt(hidden_size), 1/sqrt(hidden_size)).
void recurrent_(Tensor t, Generator& gen, int64_t hidden_size);

}  // namespace syn::nn::init
