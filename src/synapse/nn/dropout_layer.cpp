#include "synapse/nn/dropout_layer.hpp"

#include "synapse/core/error.hpp"
#include "synapse/ops/dropout.hpp"

namespace syn::nn {

Dropout::Dropout(float p, uint64_t seed, uint64_t stream) : p_(p), gen_(seed, stream) {
  register_random_stream("masks", gen_);
  SYN_CHECK_T(ValueError, p >= 0.f && p < 1.f, "Dropout: p = ", p, " must be in [0, 1)");
}

Tensor Dropout::forward(const Tensor& x) { return dropout(x, p_, active(), gen_); }

}  // namespace syn::nn
