#pragma once
// Shape ops: differentiable reshaping, reordering, slicing and joining. Tensors are contiguous
// row-major, so an op returns a view (a new handle on the same storage at another offset/shape)
// only where the result is contiguous, and a copy otherwise. Negative axes count from the end.
#include <cstdint>
#include <vector>

#include "synapse/core/tensor.hpp"

namespace syn {

// x: any shape -> y: `dims` (same numel), a view. One entry may be -1 (inferred).
Tensor reshape(const Tensor& x, const std::vector<int64_t>& dims);

// x: (..., a0, ..., a1, ...) -> y: (..., a1, ..., a0, ...), a copy.
Tensor transpose(const Tensor& x, int64_t axis0, int64_t axis1);
// x: (d0, ..., dr) -> y: (d[dims[0]], ..., d[dims[r]]), a copy; `dims` is a permutation of the axes.
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);

// x: (..., n, ...) -> y: (..., length, ...), elements start .. start+length-1 along `axis`.
// A view when every axis before `axis` has size 1 (the result is contiguous), else a copy.
Tensor narrow(const Tensor& x, int64_t axis, int64_t start, int64_t length);
// narrow(x, axis, start, end - start); negative start/end count from the end of the axis.
Tensor slice(const Tensor& x, int64_t axis, int64_t start, int64_t end);

// xs[k]: (..., n_k, ...) -> y: (..., sum_k n_k, ...), all other sizes equal, a copy.
Tensor concat(const std::vector<Tensor>& xs, int64_t axis);
// xs[k]: S (all the same) -> y: S with a new axis of size xs.size() at `axis` (in [-r-1, r]).
Tensor stack(const std::vector<Tensor>& xs, int64_t axis);

// x: (..., n, ...) -> y: (..., (n - size) / step + 1, ..., size): sliding windows along `axis` as a
// new last axis (torch.Tensor.unfold), a copy. Windows may overlap (step < size).
Tensor unfold(const Tensor& x, int64_t axis, int64_t size, int64_t step);
// x: (..., n, ...) -> y: (..., left + n + right, ...), padded with copies of the first and last
// entries along `axis` (replicate padding).
Tensor pad_replicate(const Tensor& x, int64_t axis, int64_t left, int64_t right);

}  // namespace syn
