#include "synapse/nn/adam.hpp"

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::nn {

Adam::Adam(std::vector<Tensor> params, double lr, const AdamOptions& options)
    : Adam(std::move(params), lr, options, false, "Adam") {}

AdamW::AdamW(std::vector<Tensor> params, double lr, const AdamWOptions& options)
    : Adam(std::move(params), lr, options, true, "AdamW") {}

Adam::Adam(std::vector<Tensor> params, double lr, const AdamOptions& options, bool decoupled,
           const char* name)
    : Optimizer(std::move(params), lr, name),
      options_(options),
      decoupled_(decoupled),
      state_(this->params().size()) {
  SYN_CHECK_T(ValueError, options.eps >= 0.0, name, ": invalid eps ", options.eps);
  SYN_CHECK_T(ValueError, options.beta1 >= 0.0 && options.beta1 < 1.0, name, ": invalid beta1 ",
              options.beta1);
  SYN_CHECK_T(ValueError, options.beta2 >= 0.0 && options.beta2 < 1.0, name, ": invalid beta2 ",
              options.beta2);
  SYN_CHECK_T(ValueError, options.weight_decay >= 0.0, name, ": invalid weight_decay ", options.weight_decay);
}

// Scalars are computed in double and rounded to float once, as torch passes Python floats to float
// kernels; the float operations run in torch's order.
void Adam::update(size_t index, Tensor& param, const Tensor& grad) {
  AdamState& s = state_[index];
  if (s.step == 0) {
    s.exp_avg = Tensor::zeros(param.shape());
    s.exp_avg_sq = Tensor::zeros(param.shape());
    if (options_.amsgrad) s.max_exp_avg_sq = Tensor::zeros(param.shape());
  }
  sync_state_with_mask(index, param, {&s.exp_avg, &s.exp_avg_sq, &s.max_exp_avg_sq});
  ++s.step;

  const double lr = this->lr(), t = static_cast<double>(s.step);
  const kernels::AdamStep k{.beta1 = static_cast<float>(options_.beta1),
                            .one_minus_beta1 = static_cast<float>(1.0 - options_.beta1),
                            .beta2 = static_cast<float>(options_.beta2),
                            .one_minus_beta2 = static_cast<float>(1.0 - options_.beta2),
                            .neg_step_size = static_cast<float>(-(lr / (1.0 - std::pow(options_.beta1, t)))),
                            .bc2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(options_.beta2, t))),
                            .eps = static_cast<float>(options_.eps),
                            .wd = static_cast<float>(options_.weight_decay),
                            .decay = static_cast<float>(1.0 - lr * options_.weight_decay),
                            .l2 = !decoupled_ && options_.weight_decay != 0.0,
                            .decoupled = decoupled_};
  const float* g = grad.data();
  float* p = param.mutable_data();
  float* m = s.exp_avg.mutable_data();
  float* v = s.exp_avg_sq.mutable_data();
  float* v_max = options_.amsgrad ? s.max_exp_avg_sq.mutable_data() : nullptr;
  // Runs shorter than a vector (a sparse mask's) take the plain loop: same values, no tail copies.
  const auto& fast = kernels::elementwise_kernels();
  const auto& plain = *kernels::elementwise_kernels_for(Isa::scalar);
  for_each_live_range(param, [&](int64_t b, int64_t e) {
    (e - b >= 16 ? fast : plain).adam(k, g + b, p + b, m + b, v + b, v_max ? v_max + b : nullptr, e - b);
  });
}

Optimizer::State Adam::export_state() const {
  State out;
  for (const AdamState& s : state_) {
    out.steps.push_back(s.step);
    out.tensors.push_back({copy_of(s.exp_avg), copy_of(s.exp_avg_sq), copy_of(s.max_exp_avg_sq)});
  }
  return out;
}

void Adam::import_state(const State& state) {
  check_state(state, 3);
  for (size_t i = 0; i < state_.size(); ++i) {
    const std::vector<Tensor>& t = state.tensors[i];
    state_[i] = AdamState{state.steps[i], copy_of(t[0]), copy_of(t[1]), copy_of(t[2])};
  }
}

}  // namespace syn::nn

