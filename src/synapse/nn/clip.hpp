#pragma once
// Gradient clipping over a parameter list, as torch.nn.utils (1.13). Parameters without a gradient
// are skipped. Dead gradient entries of a masked parameter are 0 and stay 0 (Note [Mask invariants] 3).
#include <vector>

#include "synapse/core/tensor.hpp"

namespace syn::nn {

// torch.nn.utils.clip_grad_norm_: total = (Σ |g|^p)^(1/p) over every gradient entry (max |g| for
// p = infinity); every gradient is scaled by min(1, max_norm / (total + 1e-6)). Returns total.
// For a masked parameter only the live entries are read and scaled (cost nnz).
// The sum runs in double over fixed kReduceBlock blocks in index order (Note [Determinism]). A NaN
// or infinite total throws ValueError with error_if_nonfinite, else it propagates into the
// gradients as in torch. Throws ValueError for norm_type <= 0 or max_norm < 0.
double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// torch.nn.utils.clip_grad_value_: every gradient entry clamped to [-clip_value, clip_value]
// (NaN stays NaN). Throws ValueError for a negative clip_value.
void clip_grad_value_(const std::vector<Tensor>& params, double clip_value);

}  // namespace syn::nn
