#pragma once
// Deterministic reductions used by ops (Note [Determinism]). A contiguous range is reduced in fixed
// kReduceBlock blocks whose results are added in index order; column sums of a (rows, cols) matrix
// give each column to one thread, which adds the rows in order. Neither depends on the thread count.
#include <algorithm>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::detail {

// block(begin, length) -> partial result; partials are added in index order.
template <class BlockFn>
float blocked_reduce(int64_t n, BlockFn block) {
  float total = 0.f;
  for (int64_t b = 0; b < n; b += kReduceBlock) total += block(b, std::min(kReduceBlock, n - b));
  return total;
}

// x: (n,) -> sum_i x[i]
inline float blocked_sum(const float* x, int64_t n) {
  const auto& k = kernels::elementwise_kernels();
  return blocked_reduce(n, [&](int64_t b, int64_t len) { return k.sum(x + b, len); });
}

// a, b: (n,) -> sum_i a[i] * b[i]
inline float blocked_dot(const float* a, const float* b, int64_t n) {
  const auto& k = kernels::elementwise_kernels();
  return blocked_reduce(n, [&](int64_t i, int64_t len) { return k.dot(a + i, b + i, len); });
}

// x: (n,) -> sum_i (x[i] - mean)^2
inline float blocked_sum_sq_diff(const float* x, float mean, int64_t n) {
  const auto& k = kernels::elementwise_kernels();
  return blocked_reduce(n, [&](int64_t b, int64_t len) { return k.sum_sq_diff(x + b, mean, len); });
}

// x: (rows, cols)  out: (cols,)  out[c] += sum_r x[r, c], rows added in order.
inline void add_column_sums(const float* x, int64_t rows, int64_t cols, float* out) {
  const auto& k = kernels::elementwise_kernels();
  parallel_for(cols, std::max<int64_t>(1, kReduceBlock / std::max<int64_t>(rows, 1)),
               [&](int64_t c0, int64_t c1) {
                 for (int64_t r = 0; r < rows; ++r) k.add(out + c0, x + r * cols + c0, out + c0, c1 - c0);
               });
}

// a, b: (rows, cols)  out: (cols,)  out[c] += sum_r a[r, c] * b[r, c], rows added in order.
inline void add_column_dots(const float* a, const float* b, int64_t rows, int64_t cols, float* out) {
  const auto& k = kernels::elementwise_kernels();
  parallel_for(cols, std::max<int64_t>(1, kReduceBlock / std::max<int64_t>(rows, 1)),
               [&](int64_t c0, int64_t c1) {
                 for (int64_t r = 0; r < rows; ++r)
                   k.mul_add(a + r * cols + c0, b + r * cols + c0, out + c0, c1 - c0);
               });
}

}  // namespace syn::detail
