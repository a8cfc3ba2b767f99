#include "synapse/nn/optimizer.hpp"

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"

namespace syn::nn {

Optimizer::Optimizer(std::vector<Tensor> params, double lr, const char* name)
    : name_(name), params_(std::move(params)), lr_(0.0), synced_masks_(params_.size()) {
  SYN_CHECK_T(ValueError, !params_.empty(), name_, ": got an empty parameter list");
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor& p = params_[i];
    SYN_CHECK_T(ValueError, p.defined(), name_, ": parameter ", i, " is undefined");
    SYN_CHECK_T(ValueError, p.is_leaf(), name_, ": parameter ", i, " of shape ", p.shape(),
                " is not a leaf; an optimizer can only update leaf tensors");
    for (size_t j = 0; j < i; ++j)
      SYN_CHECK_T(ValueError, !params_[j].same(p), name_, ": parameter ", i, " of shape ", p.shape(),
                  " repeats parameter ", j);
  }
  set_lr(lr);
}

void Optimizer::set_lr(double lr) {
  SYN_CHECK_T(ValueError, lr >= 0.0, name_, ": invalid learning rate ", lr);
  lr_ = lr;
}

void Optimizer::step() {
  NoGradGuard no_grad;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor grad = params_[i].grad();
    if (grad.defined()) update(i, params_[i], grad);
  }
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.zero_grad();
}

void Optimizer::sync_state_with_mask(size_t index, const Tensor& param,
                                     std::initializer_list<Tensor*> state) {
  const std::shared_ptr<const Mask>& mask = param.mask();
  if (mask == synced_masks_[index]) return;
  synced_masks_[index] = mask;
  if (!mask) return;
  for (Tensor* s : state)
    if (s->defined()) mask->zero_dead(s->mutable_data());
}

void Optimizer::check_state(const State& state, size_t per_param) const {
  SYN_CHECK_T(ValueError, state.steps.size() == params_.size() && state.tensors.size() == params_.size(), name_,
              ": state for ", state.steps.size(), " parameters, expected ", params_.size());
  for (size_t i = 0; i < params_.size(); ++i) {
    SYN_CHECK_T(ValueError, state.tensors[i].size() == per_param && state.steps[i] >= 0, name_,
                ": state of parameter ", i, " has ", state.tensors[i].size(), " tensors and step ",
                state.steps[i], ", expected ", per_param, " tensors and a step >= 0");
    for (const Tensor& t : state.tensors[i])
      SYN_CHECK_T(ValueError, !t.defined() || t.shape() == params_[i].shape(), name_, ": state of parameter ",
                  i, " has shape ", t.shape(), ", the parameter ", params_[i].shape());
  }
}

}  // namespace syn::nn
