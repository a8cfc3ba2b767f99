#pragma once
// softmax and log_softmax along one axis, numerically stable (the maximum is subtracted first).
// A slice of all -inf gives NaN (as torch does); a NaN anywhere in a slice makes the slice NaN.
#include "synapse/core/tensor.hpp"

namespace syn {

// x: any shape -> y: same shape, y = exp(x - max) / sum(exp(x - max)) along `axis`
Tensor softmax(const Tensor& x, int64_t axis);
// x: any shape -> y: same shape, y = x - max - log(sum(exp(x - max))) along `axis`
Tensor log_softmax(const Tensor& x, int64_t axis);

}  // namespace syn
