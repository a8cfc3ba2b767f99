#pragma once
// Deterministic reduction drivers over raw arrays (Note [Determinism]), used by reduce, sum_to and
// the losses. Internal to ops/.
//
// Note [Reduction order]
// A tensor reduced along some axes is viewed as (outer, n, inner) and reduced over n. Each output
// is written by one thread and is, for every thread count, the in-order sum of the results of
// fixed blocks of kReduceBlock consecutive indices along n, starting from 0:
//   y = ((0 + block_0) + block_1) + ...
// With inner == 1 a block is one contiguous kernel call (kernels::sum, sum_sq_diff, max); with
// inner > 1 a block is accumulated row by row into a partial row (kernels::add, mul_add), which is
// then added to the output row. Blocks are computed in parallel (over (output, block) pairs, and
// column chunks when inner > 1) and combined in order afterwards.
#include <cstdint>
#include <vector>

#include "synapse/core/parallel.hpp"
#include "synapse/core/tensor.hpp"

namespace syn::detail {

struct ReduceDims {
  int64_t outer = 1, n = 1, inner = 1;
};

// Views `shape` as (outer, n, inner) around the axes [first, last].
ReduceDims reduce_dims(const Shape& shape, int64_t first, int64_t last);

// x: (outer, n, inner) -> y: (outer, inner), y = sum over n
void sum_middle(const float* x, ReduceDims d, float* y);
// x: (outer, n, inner)  mean: (outer, inner) -> y: (outer, inner), y = sum over n of (x - mean)^2
void sum_sq_diff_middle(const float* x, const float* mean, ReduceDims d, float* y);
// x: (outer, n, inner) -> y, index: (outer, inner); y = max over n and index its position: the
// first NaN if there is one (IEEE: max is NaN), otherwise the first maximal element. n >= 1.
void max_middle(const float* x, ReduceDims d, float* y, int64_t* index);

// x: any shape, axes: sorted, distinct -> y: x's shape with those axes set to 1, the sum over them.
// Returns x itself when no axis has size other than 1.
Tensor sum_keepdim(const Tensor& x, const std::vector<int64_t>& axes);

// The in-order sum over blocks of kReduceBlock of [0, n): ((0 + f(0, len_0)) + f(kReduceBlock,
// len_1)) + ..., the blocks computed in parallel. f(begin, len) -> float.
template <class F>
float blocked_sum(int64_t n, F&& f) {
  const int64_t blocks = (n + kReduceBlock - 1) / kReduceBlock;
  std::vector<float> partial(static_cast<size_t>(blocks));
  parallel_for(blocks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b)
      partial[b] = f(b * kReduceBlock, std::min(kReduceBlock, n - b * kReduceBlock));
  });
  float total = 0.f;
  for (float p : partial) total += p;
  return total;
}

}  // namespace syn::detail
