#include "synapse/nn/mc_dropout.hpp"

#include <cmath>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"

namespace syn::nn {
namespace {

// Puts a model in eval + MC-dropout mode and restores its modes on scope exit.
class McModeGuard {
 public:
  explicit McModeGuard(Module& m) : m_(m), training_(m.is_training()), mc_(m.mc_dropout()) {
    m_.eval();
    m_.set_mc_dropout(true);
  }
  ~McModeGuard() {
    m_.set_mc_dropout(mc_);
    m_.train(training_);
  }
  McModeGuard(const McModeGuard&) = delete;
  McModeGuard& operator=(const McModeGuard&) = delete;

 private:
  Module& m_;
  bool training_, mc_;
};

}  // namespace

McPrediction mc_predict(Forecaster& model, const Tensor& x, int64_t samples) {
  SYN_CHECK_T(ValueError, samples >= 1, "mc_predict: samples must be >= 1, got ", samples);
  SYN_CHECK_T(ValueError, model.config().active_dropout() > 0.f, "mc_predict: the ", model.config().kind,
              " model has no dropout (reg '", model.config().reg, "'), so every sample is the same");
  McModeGuard mode(model);
  InferenceMode inference;
  std::vector<double> mean, m2;
  Tensor first;
  for (int64_t s = 0; s < samples; ++s) {
    const Tensor y = model.forward(x);
    if (s == 0) {
      first = y;
      mean.assign(static_cast<size_t>(y.numel()), 0.0);
      m2.assign(mean.size(), 0.0);
    }
    const float* p = y.data();
    for (size_t i = 0; i < mean.size(); ++i) {  // Welford
      const double delta = p[i] - mean[i];
      mean[i] += delta / static_cast<double>(s + 1);
      m2[i] += delta * (p[i] - mean[i]);
    }
  }
  McPrediction out{Tensor::empty(first.shape()), Tensor::empty(first.shape())};
  float* pm = out.mean.mutable_data();
  float* ps = out.stddev.mutable_data();
  for (size_t i = 0; i < mean.size(); ++i) {
    pm[i] = static_cast<float>(mean[i]);
    ps[i] = static_cast<float>(std::sqrt(m2[i] / static_cast<double>(samples)));
  }
  return out;
}

}  // namespace syn::nn
