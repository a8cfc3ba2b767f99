#include "synapse/train/prediction.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/ops/shape_ops.hpp"

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

Prediction predict(nn::Forecaster& model, const Tensor& inputs, int64_t batch_size) {
  const nn::ModelConfig& config = model.config();
  if (config.reg != "mc-dropout") {
    ModeGuard mode(model, false);
    return {forward_all(model, inputs, batch_size), Tensor(), 1};
  }
  ModeGuard mode(model, true);
  const int64_t samples = config.mc_samples;
  std::vector<double> sum, sum_sq;
  Shape shape;
  for (int64_t s = 0; s < samples; ++s) {
    const Tensor y = forward_all(model, inputs, batch_size);
    if (s == 0) {
      shape = y.shape();
      sum.assign(static_cast<size_t>(y.numel()), 0.0);
      sum_sq = sum;
    }
    const float* p = y.data();
    for (size_t i = 0; i < sum.size(); ++i) {
      sum[i] += p[i];
      sum_sq[i] += static_cast<double>(p[i]) * p[i];
    }
  }
  Prediction out{Tensor::empty(shape), Tensor::empty(shape), samples};
  float* mean = out.mean.mutable_data();
  float* spread = out.spread.mutable_data();
  for (size_t i = 0; i < sum.size(); ++i) {
    const double m = sum[i] / static_cast<double>(samples);
    mean[i] = static_cast<float>(m);
    spread[i] =
        static_cast<float>(std::sqrt(std::max(0.0, sum_sq[i] / static_cast<double>(samples) - m * m)));
  }
  return out;
}

}  // namespace syn::train
