#pragma once
// Monte Carlo dropout prediction (Note [MC dropout] in nn/module.hpp).
#include <cstdint>

#include "synapse/nn/forecaster.hpp"

namespace syn::nn {

struct McPrediction {
  Tensor mean;    // the mean of the samples, shaped like one forward pass
  Tensor stddev;  // their population standard deviation (divisor `samples`)
};

// `samples` stochastic forward passes of `model` on x under InferenceMode, in eval mode with MC
// dropout on for the duration (the model's modes are restored afterwards). Per element, mean and
// standard deviation are accumulated in double in sample order (Welford), so the result is
// deterministic for a given generator state. ValueError if samples < 1 or the model's config has no
// dropout (ModelConfig::active_dropout() == 0).
McPrediction mc_predict(Forecaster& model, const Tensor& x, int64_t samples);

}  // namespace syn::nn
