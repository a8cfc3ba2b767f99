#include "synapse/nn/init.hpp"

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

namespace syn::nn::init {
namespace {
// Note [Mask invariants] 2: an initialiser must not revive dead entries.
Tensor zero_dead(Tensor t) {
  if (const auto& mask = t.mask()) mask->zero_dead(t.mutable_data());
  return t;
}

void check_defined(const Tensor& t, const char* fn) {
  SYN_CHECK_T(ValueError, t.defined(), "init::", fn, ": the tensor is undefined");
}
}  // namespace

Fans fans(const Shape& shape) {
  SYN_CHECK_T(ValueError, shape.rank() >= 2,
              "init::fans: fan in and fan out need a tensor of rank >= 2, got shape ", shape);
  int64_t receptive = 1;
  for (int64_t axis = 2; axis < shape.rank(); ++axis) receptive *= shape[axis];
  return {shape[1] * receptive, shape[0] * receptive};
}

Tensor uniform_(Tensor t, Generator& gen, double low, double high) {
  check_defined(t, "uniform_");
  SYN_CHECK_T(ValueError, low <= high, "init::uniform_: low ", low, " > high ", high);
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] = static_cast<float>(low + (high - low) * static_cast<double>(gen.uniform()));
  return zero_dead(t);
}

Tensor normal_(Tensor t, Generator& gen, double mean, double stddev) {
  check_defined(t, "normal_");
  SYN_CHECK_T(ValueError, stddev >= 0, "init::normal_: negative standard deviation ", stddev);
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] = static_cast<float>(mean + stddev * static_cast<double>(gen.normal()));
  return zero_dead(t);
}

Tensor constant_(Tensor t, double value) {
  check_defined(t, "constant_");
  t.fill_(static_cast<float>(value));
  return zero_dead(t);
}
Tensor zeros_(Tensor t) { return constant_(t, 0.0); }
Tensor ones_(Tensor t) { return constant_(t, 1.0); }

Tensor kaiming_uniform_(Tensor t, Generator& gen, double a, FanMode mode) {
  check_defined(t, "kaiming_uniform_");
  if (t.numel() == 0) return t;  // torch: initialising a zero-element tensor is a no-op
  const Fans f = fans(t.shape());
  const int64_t fan = mode == FanMode::fan_in ? f.fan_in : f.fan_out;
  SYN_CHECK_T(ValueError, fan > 0, "init::kaiming_uniform_: zero fan for shape ", t.shape());
  const double gain = std::sqrt(2.0 / (1.0 + a * a));
  const double bound = gain * std::sqrt(3.0 / static_cast<double>(fan));
  return uniform_(t, gen, -bound, bound);
}

Tensor xavier_uniform_(Tensor t, Generator& gen, double gain) {
  check_defined(t, "xavier_uniform_");
  if (t.numel() == 0) return t;
  const Fans f = fans(t.shape());
  SYN_CHECK_T(ValueError, f.fan_in + f.fan_out > 0, "init::xavier_uniform_: zero fans for shape ", t.shape());
  const double bound = gain * std::sqrt(6.0 / static_cast<double>(f.fan_in + f.fan_out));
  return uniform_(t, gen, -bound, bound);
}

void linear_(Tensor weight, Tensor bias, Generator& gen) {
  kaiming_uniform_(weight, gen, std::sqrt(5.0));
  if (!bias.defined()) return;
  const int64_t fan_in = fans(weight.shape()).fan_in;
  const double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
  uniform_(bias, gen, -bound, bound);
}

void recurrent_(Tensor t, Generator& gen, int64_t hidden_size) {
  SYN_CHECK_T(ValueError, hidden_size > 0, "init::recurrent_: hidden_size must be positive, got ",
              hidden_size);
  const double bound = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  uniform_(t, gen, -bound, bound);
}

}  // namespace syn::nn::init
