#include "synapse/nn/batch_norm1d.hpp"

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/ops/norm.hpp"

namespace syn::nn {

BatchNorm1d::BatchNorm1d(int64_t num_features, BatchNorm1dOptions options)
    : num_features_(num_features), options_(options) {
  SYN_CHECK_T(ValueError, num_features > 0, "BatchNorm1d: num_features ", num_features, " must be > 0");
  SYN_CHECK_T(ValueError, options.eps >= 0.f, "BatchNorm1d: eps ", options.eps, " must be >= 0");
  SYN_CHECK_T(ValueError, !options.momentum || (*options.momentum >= 0.f && *options.momentum <= 1.f),
              "BatchNorm1d: momentum ", options.momentum.value_or(0.f), " must be in [0, 1]");
  const Shape c{num_features};
  if (options.affine) {
    weight_ = register_parameter("weight", Tensor::ones(c));
    bias_ = register_parameter("bias", Tensor::zeros(c));
  }
  if (options.track_running_stats) {
    running_mean_ = register_buffer("running_mean", Tensor::zeros(c));
    running_var_ = register_buffer("running_var", Tensor::ones(c));
    num_batches_tracked_ = register_buffer("num_batches_tracked", Tensor::scalar(0.f));
  }
}

Tensor BatchNorm1d::forward(const Tensor& x) {
  SYN_CHECK_T(ShapeError, (x.rank() == 2 || x.rank() == 3) && x.size(1) == num_features_, "BatchNorm1d: x ",
              x.shape(), " must be (N, ", num_features_, ") or (N, ", num_features_, ", L)");
  const bool tracking = options_.track_running_stats;
  const bool batch_stats = is_training() || !tracking;
  float factor = 0.f;
  if (is_training() && tracking) {
    NoGradGuard no_grad;
    float& count = num_batches_tracked_.mutable_data()[0];
    count += 1.f;
    factor = options_.momentum ? *options_.momentum : 1.f / count;
  }
  // Tracked running statistics are read in evaluation and updated in training (running_mean_ and
  // running_var_ are undefined when not tracked).
  return batch_norm(x, running_mean_, running_var_, weight_, bias_, batch_stats, factor, options_.eps);
}

}  // namespace syn::nn
