#include "synapse/train/prediction.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/nn/mc_dropout.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/train/model_factory.hpp"

namespace syn::train {
namespace {
// Restores a module's train/eval mode on scope exit.
class ModeGuard {
 public:
  ModeGuard(nn::Module& m, bool training) : m_(m), previous_(m.is_training()) { m_.train(training); }
  ~ModeGuard() { m_.train(previous_); }
  ModeGuard(const ModeGuard&) = delete;
  ModeGuard& operator=(const ModeGuard&) = delete;

 private:
  nn::Module& m_;
  bool previous_;
};
}  // namespace

// inputs: (N, L, F) -> (N, H)
Tensor forward_all(nn::Forecaster& model, const Tensor& inputs, int64_t batch_size) {
  SYN_CHECK_T(ValueError, batch_size > 0, "forward_all: batch size must be > 0, got ", batch_size);
  SYN_CHECK_T(ShapeError, inputs.rank() == 3, "forward_all: inputs ", inputs.shape(), " are not (N, L, F)");
  NoGradGuard no_grad;
  const int64_t n = inputs.size(0), horizon = model.config().horizon;
  Tensor out = Tensor::empty(Shape{n, horizon});
  float* o = out.mutable_data();
  for (int64_t b = 0; b < n; b += batch_size) {
    const int64_t len = std::min(batch_size, n - b);
    const Tensor y = model.forward(narrow(inputs, 0, b, len));
    SYN_CHECK_T(ShapeError, y.shape() == Shape({len, horizon}), "forward_all: the model returned ", y.shape(),
                " for a batch of ", len, " windows, expected (", len, ", ", horizon, ")");
    std::memcpy(o + b * horizon, y.data(), static_cast<size_t>(y.numel()) * sizeof(float));
  }
  return out;
}

Prediction predict(nn::Forecaster& model, const Tensor& inputs, int64_t batch_size, const PredictProgress& progress) {
  const nn::ModelConfig& config = model.config();
  if (config.reg != "mc-dropout") {
    // A model already in eval mode is only read (Note [Concurrent prediction]).
    if (!model.is_training()) return {forward_all(model, inputs, batch_size), Tensor(), 1};
    ModeGuard mode(model, false);
    return {forward_all(model, inputs, batch_size), Tensor(), 1};
  }
  SYN_CHECK_T(ShapeError, inputs.rank() == 3, "predict: inputs ", inputs.shape(), " are not (N, L, F)");
  SYN_CHECK_T(ValueError, batch_size > 0, "predict: batch size must be > 0, got ", batch_size);
  const int64_t n = inputs.size(0), horizon = config.horizon;
  // Note [Seeded MC-dropout passes]: a fresh copy draws from freshly seeded dropout streams.
  const std::shared_ptr<nn::Forecaster> fresh = make_forecaster(config);
  fresh->load_state_dict(model.state_dict());
  Prediction out{Tensor::empty(Shape{n, horizon}), Tensor::empty(Shape{n, horizon}), config.mc_samples};
  float* mean = out.mean.mutable_data();
  float* spread = out.spread.mutable_data();
  for (int64_t b = 0; b < n; b += batch_size) {
    const int64_t len = std::min(batch_size, n - b);
    const nn::McPrediction p = nn::mc_predict(*fresh, narrow(inputs, 0, b, len), config.mc_samples);
    std::memcpy(mean + b * horizon, p.mean.data(), static_cast<size_t>(p.mean.numel()) * sizeof(float));
    std::memcpy(spread + b * horizon, p.stddev.data(), static_cast<size_t>(p.stddev.numel()) * sizeof(float));
    if (progress) progress(b + len, n);
  }
  return out;
}

}  // namespace syn::train
