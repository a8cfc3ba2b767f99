#pragma once
// The machinery behind broadcasting ops: a row layout of a broadcast and the drivers that run
// kernels over it. Internal to ops/.
//
// Note [Broadcast layout]
// An op whose operands broadcast to a common output walks the output as `rows` contiguous runs
// of `inner` elements. The layout aligns every operand to the output rank, drops output axes of
// size 1, gives an operand stride 0 along the axes it is broadcast in, and merges neighbouring
// axes wherever every operand is laid out contiguously across them, so runs are as long as
// possible. Along a run each operand either advances with the output (stride 1) or repeats one
// value (stride 0). Examples:
//   (N, M) op (M)     -> N rows of M; b's rows all start at 0 (row broadcasting)
//   (N, M) op (N, 1)  -> N rows of M; b repeats b[row] along each run
//   (A, 1, C) op (B, C) -> A·B rows of C; a's row r starts at (r / B)·C, b's at (r % B)·C
#include <initializer_list>
#include <vector>

#include "synapse/core/tensor.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

namespace syn::detail {

// Elements in a scratch buffer on the stack (small enough for L1).
inline constexpr int64_t kScratch = 1024;

class BroadcastLayout {
 public:
  // Every operand shape must broadcast to `out` (checked by the caller).
  BroadcastLayout(const Shape& out, std::initializer_list<Shape> operands);

  int64_t rows() const { return rows_; }
  int64_t inner() const { return inner_; }
  // Whether operand k repeats one value along each run (stride 0 along the inner axis).
  bool repeats(int k) const { return repeats_[static_cast<size_t>(k)]; }
  // Element offset in operand k at which run `row` starts.
  int64_t offset(int k, int64_t row) const;

 private:
  std::vector<int64_t> outer_sizes_;                 // merged axes except the inner one
  std::vector<std::vector<int64_t>> outer_strides_;  // [operand][axis]
  std::vector<bool> repeats_;
  int64_t rows_ = 1;
  int64_t inner_ = 1;
};

// a: A  b: B -> y: broadcast(A, B), y = kernel(a, b) elementwise. Not recorded. Fast paths:
// equal sizes (one kernel call per parallel chunk), a one-element operand, then one kernel call per
// run of the layout (Note [Broadcast layout]). Deterministic: each element depends only on its inputs.
Tensor broadcast_binary(const char* op, const Tensor& a, const Tensor& b, kernels::BinaryFn kernel);

// x: X (broadcasts to S) -> y: S, a contiguous copy of x broadcast to S. Not recorded.
// Returns x itself when X == S.
Tensor broadcast_to(const Tensor& x, const Shape& shape);

}  // namespace syn::detail
