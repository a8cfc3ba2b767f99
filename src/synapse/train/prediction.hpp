#pragma once
// Prediction with a trained Forecaster over many windows, in batches, recording nothing.
#include <cstdint>
#include <functional>

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
// predict on a model in eval mode (what restore_model returns) only reads the model, with MC dropout
// too (its passes run on a fresh copy, Note [Seeded MC-dropout passes]): any number of threads may call
// it at once on one model and each gets exactly the outputs of a sequential call (tests/concurrency,
// run under ThreadSanitizer in a build without OpenMP). A model in training mode is switched to eval
// and back, which writes to the model, so such calls must not overlap.

// Note [Seeded MC-dropout passes]
// MC-dropout passes run on a copy of the model built afresh from its config (make_forecaster, so
// its dropout streams start from config.seed) with the model's weights and masks. The forecasts
// therefore depend only on the weights, the config and the inputs: train's test scores, eval on the
// same file and predict agree exactly, whatever dropout drew during training. A different
// config.seed (eval/predict --seed) draws different passes.

// After each batch of MC-dropout passes: windows done so far, windows in all.
using PredictProgress = std::function<void(int64_t done, int64_t total)>;

// inputs: (N, L, F) -> forecasts (N, H).
// reg none or dropout: one pass in eval mode (dropout off).
// reg mc-dropout: per batch, nn::mc_predict: config.mc_samples passes in eval mode with MC dropout
// on (Note [MC dropout] in nn/module.hpp; batch norm keeps its running statistics), on a fresh copy
// (Note [Seeded MC-dropout passes]); mean and population standard deviation per entry. The model
// itself is not changed.
Prediction predict(nn::Forecaster& model, const Tensor& inputs, int64_t batch_size = kPredictBatch,
                   const PredictProgress& progress = {});

}  // namespace syn::train
