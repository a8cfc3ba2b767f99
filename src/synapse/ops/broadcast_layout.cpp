#include "synapse/ops/broadcast_layout.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/broadcast.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn::detail {

BroadcastLayout::BroadcastLayout(const Shape& out, std::initializer_list<Shape> operands) {
  const int64_t rank = out.rank();
  const size_t count = operands.size();
  // Axes of the output with size != 1, outer to inner, with each operand's stride (0 if broadcast).
  std::vector<int64_t> sizes;
  std::vector<std::vector<int64_t>> strides(count);
  for (int64_t d = 0; d < rank; ++d) {
    if (out[d] == 1) continue;
    sizes.push_back(out[d]);
    size_t k = 0;
    for (const Shape& s : operands) {
      const int64_t lead = rank - s.rank();  // operand axis d - lead
      int64_t stride = 0;
      if (d >= lead && s[d - lead] != 1) {
        stride = 1;
        for (int64_t e = d - lead + 1; e < s.rank(); ++e) stride *= s[e];
      }
      strides[k++].push_back(stride);
    }
  }
  // Merge axis i into its inner neighbour j when every operand is contiguous across them.
  std::vector<int64_t> merged_sizes;
  std::vector<std::vector<int64_t>> merged_strides(count);
  for (size_t i = sizes.size(); i-- > 0;) {
    bool merge = !merged_sizes.empty();
    for (size_t k = 0; merge && k < count; ++k)
      merge = strides[k][i] == merged_strides[k].back() * merged_sizes.back();
    if (merge) {
      merged_sizes.back() *= sizes[i];
      continue;
    }
    merged_sizes.push_back(sizes[i]);
    for (size_t k = 0; k < count; ++k) merged_strides[k].push_back(strides[k][i]);
  }
  // merged_* are inner to outer; the first entry is the run.
  repeats_.assign(count, false);
  outer_strides_.resize(count);
  if (merged_sizes.empty()) return;  // a single element
  inner_ = merged_sizes.front();
  for (size_t k = 0; k < count; ++k) repeats_[k] = merged_strides[k].front() == 0;
  for (size_t i = merged_sizes.size(); i-- > 1;) {
    outer_sizes_.push_back(merged_sizes[i]);
    rows_ *= merged_sizes[i];
    for (size_t k = 0; k < count; ++k) outer_strides_[k].push_back(merged_strides[k][i]);
  }
}

int64_t BroadcastLayout::offset(int k, int64_t row) const {
  const std::vector<int64_t>& strides = outer_strides_[static_cast<size_t>(k)];
  if (outer_sizes_.size() == 1) return row * strides[0];  // row broadcasting and the like
  int64_t off = 0;
  for (size_t d = outer_sizes_.size(); d-- > 0;) {
    off += (row % outer_sizes_[d]) * strides[d];
    row /= outer_sizes_[d];
  }
  return off;
}

namespace {

// Runs per parallel chunk so that a chunk holds about kElementwiseGrain elements.
int64_t row_grain(const BroadcastLayout& layout) {
  return std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, layout.inner()));
}

// y (n elements) = kernel(x, s) or kernel(s, x) for a single value s.
void binary_with_scalar(const float* x, float s, bool scalar_first, float* y, int64_t n,
                        kernels::BinaryFn kernel) {
  parallel_for(n, kElementwiseGrain, [&](int64_t begin, int64_t end) {
    std::array<float, kScratch> repeated;
    repeated.fill(s);
    for (int64_t i = begin; i < end; i += kScratch) {
      const int64_t len = std::min(kScratch, end - i);
      if (scalar_first) {
        kernel(repeated.data(), x + i, y + i, len);
      } else {
        kernel(x + i, repeated.data(), y + i, len);
      }
    }
  });
}

}  // namespace

// a: A  b: B  y: broadcast(A, B)
Tensor broadcast_binary(const char* op, const Tensor& a, const Tensor& b, kernels::BinaryFn kernel) {
  Tensor y = Tensor::empty(broadcast_shapes(op, a.shape(), b.shape()));
  const int64_t n = y.numel();
  const float* pa = a.data();
  const float* pb = b.data();
  float* py = y.mutable_data();
  if (a.numel() == n && b.numel() == n) {  // same elements in the same order
    parallel_for(n, kElementwiseGrain, [&](int64_t begin, int64_t end) {
      kernel(pa + begin, pb + begin, py + begin, end - begin);
    });
    return y;
  }
  if (n == 0) return y;
  if (a.numel() == 1) {
    binary_with_scalar(pb, pa[0], true, py, n, kernel);
    return y;
  }
  if (b.numel() == 1) {
    binary_with_scalar(pa, pb[0], false, py, n, kernel);
    return y;
  }
  const BroadcastLayout layout(y.shape(), {a.shape(), b.shape()});
  const int64_t inner = layout.inner();
  parallel_for(layout.rows(), row_grain(layout), [&](int64_t begin, int64_t end) {
    // A repeated operand is spread over a buffer so that the kernel sees two arrays.
    std::vector<float> repeated(layout.repeats(0) || layout.repeats(1) ? inner : 0);
    for (int64_t r = begin; r < end; ++r) {
      const float* ra = pa + layout.offset(0, r);
      const float* rb = pb + layout.offset(1, r);
      if (layout.repeats(0)) {
        std::fill(repeated.begin(), repeated.end(), *ra);
        ra = repeated.data();
      } else if (layout.repeats(1)) {
        std::fill(repeated.begin(), repeated.end(), *rb);
        rb = repeated.data();
      }
      kernel(ra, rb, py + r * inner, inner);
    }
  });
  return y;
}

// x: X  y: S
Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  Tensor y = Tensor::empty(shape);
  if (y.numel() == 0) return y;
  const BroadcastLayout layout(shape, {x.shape()});
  const int64_t inner = layout.inner();
  const float* px = x.data();
  float* py = y.mutable_data();
  parallel_for(layout.rows(), row_grain(layout), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const float* src = px + layout.offset(0, r);
      float* dst = py + r * inner;
      if (layout.repeats(0)) {
        std::fill(dst, dst + inner, *src);
      } else {
        std::memcpy(dst, src, static_cast<size_t>(inner) * sizeof(float));
      }
    }
  });
  return y;
}

}  // namespace syn::detail
