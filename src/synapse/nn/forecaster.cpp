#include "synapse/nn/forecaster.hpp"

namespace syn::nn {

void Forecaster::add_revin() {
  if (config_.uses_revin()) revin_ = register_module("revin", std::make_shared<RevIN>(config_.input_size));
}

// x: (N, L, F) -> (N, H)
Tensor Forecaster::with_revin(const Tensor& x, const std::function<Tensor(const Tensor&)>& body) const {
  if (!revin_) return body(x);
  const auto [normalised, stats] = revin_->normalize(x);
  return revin_->denormalize_target(body(normalised), stats);
}

}  // namespace syn::nn
