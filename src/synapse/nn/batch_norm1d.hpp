#pragma once
// BatchNorm1d: torch.nn.BatchNorm1d. Parameters `weight` (ones) and `bias` (zeros) when affine;
// buffers `running_mean` (zeros), `running_var` (ones) and `num_batches_tracked` (a rank-0 count,
// float here, int64 in torch: exact up to 2^24 batches) when track_running_stats.
//
// Which statistics a forward pass uses, as torch decides it:
// - training, or !track_running_stats: the batch's (biased variance to normalise). In training with
//   running statistics, num_batches_tracked += 1 and running = (1 - f)·running + f·batch (unbiased
//   variance), with f = momentum, or f = 1 / num_batches_tracked (a cumulative average) when the
//   momentum is unset (torch's momentum=None).
// - evaluation with running statistics: the running ones, unchanged.
#include <cstdint>
#include <optional>

#include "synapse/core/tensor.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

struct BatchNorm1dOptions {
  float eps = 1e-5f;
  std::optional<float> momentum = 0.1f;
  bool affine = true;
  bool track_running_stats = true;
};

class BatchNorm1d : public Module {
 public:
  // ValueError for num_features <= 0, a negative eps or a momentum outside [0, 1].
  explicit BatchNorm1d(int64_t num_features, BatchNorm1dOptions options = {});

  // x: (N, C) or (N, C, L) with C = num_features -> y: x's shape, normalised per channel over N (and L)
  Tensor forward(const Tensor& x);

  int64_t num_features() const { return num_features_; }
  const BatchNorm1dOptions& options() const { return options_; }
  const Tensor& weight() const { return weight_; }  // undefined without affine
  const Tensor& bias() const { return bias_; }
  const Tensor& running_mean() const { return running_mean_; }  // undefined without running stats
  const Tensor& running_var() const { return running_var_; }
  const Tensor& num_batches_tracked() const { return num_batches_tracked_; }

 private:
  int64_t num_features_;
  BatchNorm1dOptions options_;
  Tensor weight_, bias_, running_mean_, running_var_, num_batches_tracked_;
};

}  // namespace syn::nn
