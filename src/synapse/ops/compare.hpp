#pragma once
// Comparisons with broadcasting. Results are float tensors of 0 and 1 (synapse has one dtype),
// suitable as the condition of where(); they are constants: nothing is recorded on the tape.
// A comparison involving NaN is false (IEEE), except not_equal.
#include "synapse/core/tensor.hpp"

namespace syn {

// a: A  b: B  y: broadcast(A, B), y = (a op b) ? 1 : 0
Tensor greater(const Tensor& a, const Tensor& b);
Tensor greater_equal(const Tensor& a, const Tensor& b);
Tensor less(const Tensor& a, const Tensor& b);
Tensor less_equal(const Tensor& a, const Tensor& b);
Tensor equal(const Tensor& a, const Tensor& b);

// x: any shape  s: constant  y: x's shape
inline Tensor operator>(const Tensor& x, float s) { return greater(x, Tensor::scalar(s)); }
inline Tensor operator>=(const Tensor& x, float s) { return greater_equal(x, Tensor::scalar(s)); }
inline Tensor operator<(const Tensor& x, float s) { return less(x, Tensor::scalar(s)); }
inline Tensor operator<=(const Tensor& x, float s) { return less_equal(x, Tensor::scalar(s)); }
// a: A  b: B  y: broadcast(A, B)
inline Tensor operator>(const Tensor& a, const Tensor& b) { return greater(a, b); }
inline Tensor operator<(const Tensor& a, const Tensor& b) { return less(a, b); }

}  // namespace syn
