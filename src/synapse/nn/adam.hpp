#pragma once
// Adam and AdamW, exactly as torch.optim.Adam / AdamW (1.13, single-tensor path), mask-aware
// (Note [Masked optimizer steps]). Per entry at step t (counted per parameter from 1):
//   Adam:  g = g + weight_decay·p                     (L2 penalty folded into the gradient)
//   AdamW: p = p·(1 - lr·weight_decay)                (decoupled weight decay)
//   m = beta1·m + (1 - beta1)·g
//   v = beta2·v + (1 - beta2)·g²
//   v̂ = max(v̂, v) with amsgrad, else v̂ = v
//   p = p - (lr / (1 - beta1^t)) · m / (sqrt(v̂) / sqrt(1 - beta2^t) + eps)
#include <cstdint>
#include <vector>

#include "synapse/nn/optimizer.hpp"

namespace syn::nn {

struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
};

// torch.optim.AdamW's defaults: Adam's, with weight_decay 1e-2.
struct AdamWOptions : AdamOptions {
  AdamWOptions() { weight_decay = 1e-2; }
};

// The state of one parameter; tensors undefined until its first step (max_exp_avg_sq: amsgrad only).
struct AdamState {
  int64_t step = 0;
  Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;
};

class Adam : public Optimizer {
 public:
  // Throws ValueError for a negative lr, eps or weight decay, or a beta outside [0, 1).
  Adam(std::vector<Tensor> params, double lr = 1e-3, const AdamOptions& options = {});

  const AdamOptions& options() const { return options_; }
  const AdamState& state(size_t index) const { return state_[index]; }
  // Per parameter: step, then exp_avg, exp_avg_sq, max_exp_avg_sq (Note [Optimizer state]).
  State export_state() const override;
  void import_state(const State& state) override;

 protected:
  Adam(std::vector<Tensor> params, double lr, const AdamOptions& options, bool decoupled, const char* name);

 private:
  void update(size_t index, Tensor& param, const Tensor& grad) override;

  AdamOptions options_;
  bool decoupled_;
  std::vector<AdamState> state_;
};

// AdamW (Loshchilov & Hutter): Adam with weight decay applied to the parameter, not the gradient.
class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, double lr = 1e-3, const AdamWOptions& options = {});
};

}  // namespace syn::nn
