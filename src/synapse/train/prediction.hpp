#pragma once
// Prediction with a trained Forecaster over many windows, in batches, recording nothing.
#include <cstdint>

#include "synapse/core/tensor.hpp"
#include "synapse/nn/forecaster.hpp"

namespace syn::train {

inline constexpr int64_t kPredictBatch = 256;

// inputs: (N, L, F) -> (N, H): model.forward over every window (batches of batch_size, the last one
// smaller) under NoGradGuard, in the model's current train/eval mode.
Tensor forward_all(nn::Forecaster& model, const Tensor& inputs, int64_t batch_size = kPredictBatch);

struct Prediction {
  Tensor mean;    // (N, H) the forecast (scaled units)
  Tensor spread;  // (N, H) standard deviation over the MC-dropout passes; undefined otherwise
  int64_t samples = 1;
};

// Note [Concurrent prediction]
// predict on a model in eval mode without MC dropout (what restore_model returns) only reads the
// model: any number of threads may call it at once on one model and each gets exactly the outputs of
// a sequential call (tests/concurrency, run under ThreadSanitizer in a build without OpenMP). A model
// in training mode is switched to eval and back, and MC dropout draws from the model's generator:
// both write to the model, so such calls must not overlap.

// inputs: (N, L, F) -> forecasts (N, H).
// reg none or dropout: one pass in eval mode (dropout off).
// reg mc-dropout: per batch, nn::mc_predict: config.mc_samples passes in eval mode with MC dropout
// on (Note [MC dropout] in nn/module.hpp; batch norm keeps its running statistics); mean and
// population standard deviation per entry (deterministic). The model's modes are restored afterwards.
Prediction predict(nn::Forecaster& model, const Tensor& inputs, int64_t batch_size = kPredictBatch);

}  // namespace syn::train
