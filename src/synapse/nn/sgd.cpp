#include "synapse/nn/sgd.hpp"

#include "synapse/core/error.hpp"

namespace syn::nn {

Sgd::Sgd(std::vector<Tensor> params, double lr, const SgdOptions& options)
    : Optimizer(std::move(params), lr, "Sgd"), options_(options), buffers_(this->params().size()) {
  SYN_CHECK_T(ValueError, options.momentum >= 0.0, "Sgd: invalid momentum ", options.momentum);
  SYN_CHECK_T(ValueError, options.weight_decay >= 0.0, "Sgd: invalid weight_decay ", options.weight_decay);
  SYN_CHECK_T(ValueError, !options.nesterov || (options.momentum > 0.0 && options.dampening == 0.0),
              "Sgd: Nesterov momentum needs momentum > 0 and dampening == 0 (got momentum ", options.momentum,
              ", dampening ", options.dampening, ")");
}

// Scalars are rounded to float once, as torch passes Python floats to float kernels.
void Sgd::update(size_t index, Tensor& param, const Tensor& grad) {
  const float neg_lr = static_cast<float>(-lr()), wd = static_cast<float>(options_.weight_decay);
  const float momentum = static_cast<float>(options_.momentum);
  const float keep = static_cast<float>(1.0 - options_.dampening);
  const bool decay = options_.weight_decay != 0.0, nesterov = options_.nesterov;
  const float* g = grad.data();
  float* p = param.mutable_data();

  if (options_.momentum == 0.0) {
    for_each_live(param, [=](int64_t i) {
      const float d = decay ? g[i] + wd * p[i] : g[i];
      p[i] = p[i] + neg_lr * d;
    });
    return;
  }
  Tensor& buffer = buffers_[index];
  const bool first = !buffer.defined();
  if (first) buffer = Tensor::zeros(param.shape());
  sync_state_with_mask(index, param, {&buffer});
  float* b = buffer.mutable_data();
  for_each_live(param, [=](int64_t i) {
    float d = decay ? g[i] + wd * p[i] : g[i];
    b[i] = first ? d : b[i] * momentum + keep * d;
    d = nesterov ? d + momentum * b[i] : b[i];
    p[i] = p[i] + neg_lr * d;
  });
}

Optimizer::State Sgd::export_state() const {
  State out;
  for (const Tensor& b : buffers_) {
    out.steps.push_back(b.defined() ? 1 : 0);
    out.tensors.push_back({copy_of(b)});
  }
  return out;
}

void Sgd::import_state(const State& state) {
  check_state(state, 1);
  for (size_t i = 0; i < buffers_.size(); ++i) buffers_[i] = copy_of(state.tensors[i][0]);
}

}  // namespace syn::nn

