#pragma once
// Copies between a contiguous tensor and a strided walk over another buffer: the engine of the
// shape ops that reorder elements (permute, narrow, unfold). Work is split over rows of the
// contiguous side, so every output element is written by one thread (Note [Determinism]).
#include <vector>

#include "synapse/core/shape.hpp"

namespace syn::detail {

// out: contiguous, shape `shape`;  out[idx] = src[sum_d idx[d] * src_strides[d]]
void strided_gather(const float* src, const std::vector<int64_t>& src_strides, const Shape& shape,
                    float* out);

// g: contiguous, shape `shape`;  dst[sum_d idx[d] * dst_strides[d]] += g[idx].
// The map idx -> offset must be injective (distinct idx never share a destination).
void strided_scatter_add(const float* g, const Shape& shape, const std::vector<int64_t>& dst_strides,
                         float* dst);

}  // namespace syn::detail
