#pragma once
// Reductions, each differentiable. Over all elements the result has shape (); over axes (negative
// ones count from the end) those axes are removed, or kept with size 1 when keepdim is set.
// Deterministic for any thread count (Note [Reduction order] in ops/reduction.hpp). NaN propagates.
#include <vector>

#include "synapse/core/tensor.hpp"

namespace syn {

// x: any shape -> y: ()  (0 for an empty x)
Tensor sum(const Tensor& x);
// x: (..., K, ...) -> y: (..., ...) or (..., 1, ...) with keepdim
Tensor sum(const Tensor& x, int64_t axis, bool keepdim = false);
// Over several distinct axes; an empty list reduces nothing (y is a copy of x). Spell it
// std::vector<int64_t>{}: a bare `{}` converts to axis 0.
Tensor sum(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim = false);

// As sum, divided by the number of elements reduced; ValueError if that number is 0.
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, int64_t axis, bool keepdim = false);
Tensor mean(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim = false);

// The largest element; the gradient goes to the first maximal element (the first NaN if any, whose
// value is then the result). ValueError when reducing over no elements.
Tensor max(const Tensor& x);
Tensor max(const Tensor& x, int64_t axis, bool keepdim = false);

// Variance, sum((x - mean)^2) / (n - 1) if unbiased, else / n; ValueError when n == 0 (n == 1 with
// unbiased gives NaN, as in PyTorch).
Tensor var(const Tensor& x, bool unbiased = true);
Tensor var(const Tensor& x, int64_t axis, bool unbiased = true, bool keepdim = false);
// `var(x, 1)` names an axis (an int literal would otherwise be ambiguous with `unbiased`).
inline Tensor var(const Tensor& x, int axis, bool unbiased = true, bool keepdim = false) {
  return var(x, static_cast<int64_t>(axis), unbiased, keepdim);
}

}  // namespace syn
