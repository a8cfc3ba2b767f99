#pragma once
// RevIN: reversible instance normalisation (Kim et al., ICLR 2022), as PatchTST's layers/RevIN.py
// has it. Each series (sample b, channel c) is normalised over time by its own statistics, which
// are detached (no gradient flows through them), and the forecast is mapped back with the same ones:
//   normalize:   x̂ = (x - center) / stdev · affine_weight + affine_bias
//   denormalize: y = (ŷ - affine_bias) / (affine_weight + eps²) · stdev + center
// with stdev = sqrt(var_biased + eps), and center the mean over time, or the last value when
// subtract_last. Parameters (affine only): affine_weight (C) ones, affine_bias (C) zeros.
#include <cstdint>
#include <utility>

#include "synapse/core/tensor.hpp"
#include "synapse/nn/module.hpp"

namespace syn::nn {

// Note [RevIN around a forecaster]
// With ModelConfig::uses_revin(), a forecaster normalises every input column of its window
// x (B, L, F) by the window's own statistics before its layers (RevIN(F), child "revin") and maps
// its forecast of the target, column 0, back with column 0's statistics (denormalize_target). The
// model then sees windows of the same level and spread wherever the series has drifted to, which
// helps on trending series whose test part lies outside the training range. PatchTST does this per
// channel inside its backbone (as the paper), every other kind around the whole model.

struct RevINOptions {
  float eps = 1e-5f;
  bool affine = true;
  bool subtract_last = false;
};

// The statistics of one batch, from normalize() to denormalize(); each (B, 1, C), no autograd history.
struct RevINStats {
  Tensor center, stdev;
};

class RevIN : public Module {
 public:
  // ValueError for num_features <= 0 or a negative eps.
  explicit RevIN(int64_t num_features, RevINOptions options = {});

  // x: (B, L, C) -> x̂: (B, L, C) and the statistics. Channels first .. first + C - 1 of the module
  // (C <= num_features - first) are meant, so a caller can normalise a subset of channels.
  std::pair<Tensor, RevINStats> normalize(const Tensor& x, int64_t first = 0) const;
  // ŷ: (B, H, C) -> y: (B, H, C), with the statistics normalize() returned for the same channels.
  Tensor denormalize(const Tensor& y, const RevINStats& stats, int64_t first = 0) const;
  // ŷ: (B, H) forecasts of channel 0 -> y: (B, H), with the statistics normalize() returned for all
  // channels from 0 (Note [RevIN around a forecaster]).
  Tensor denormalize_target(const Tensor& y, const RevINStats& stats) const;

  int64_t num_features() const { return num_features_; }
  const RevINOptions& options() const { return options_; }
  const Tensor& affine_weight() const { return affine_weight_; }  // undefined without affine
  const Tensor& affine_bias() const { return affine_bias_; }

 private:
  void check_channels(const char* op, const Tensor& t, int64_t first) const;

  int64_t num_features_;
  RevINOptions options_;
  Tensor affine_weight_, affine_bias_;
};

}  // namespace syn::nn
