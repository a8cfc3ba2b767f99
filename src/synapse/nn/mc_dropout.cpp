#include "synapse/nn/mc_dropout.hpp"

#include <cmath>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/nn/dropout_layer.hpp"

namespace syn::nn {
namespace {

void collect_dropouts(Module& m, std::vector<Dropout*>& out) {
  if (auto* d = dynamic_cast<Dropout*>(&m)) out.push_back(d);
  for (const auto& [_, child] : m.named_children()) collect_dropouts(*child, out);
}

}  // namespace

McPrediction mc_predict(Forecaster& model, const Tensor& x, int64_t samples) {
  SYN_CHECK_T(ValueError, samples >= 1, "mc_predict: samples must be >= 1, got ", samples);
  std::vector<Dropout*> all;
  collect_dropouts(model, all);
  std::vector<bool> previous;
  int64_t live = 0;
  for (Dropout* d : all) {
    previous.push_back(d->mc());
    live += d->p() > 0.f;
  }
  SYN_CHECK_T(ValueError, live > 0,
              "mc_predict: the model has no dropout with p > 0, so every sample is the same");
  struct Restore {
    std::vector<Dropout*>& all;
    std::vector<bool>& previous;
    ~Restore() {
      for (size_t i = 0; i < all.size(); ++i) all[i]->set_mc(previous[i]);
    }
  } restore{all, previous};
  for (Dropout* d : all) d->set_mc(true);

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
