// unfold (sliding windows) and pad_replicate (edge padding).
#include <cstring>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/strided_copy.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

// x viewed as (outer, n, inner); y as (outer, windows, inner, size) with
// y[o, w, i, s] = x[o, w * step + s, i].
struct UnfoldBackward : Node {
  int64_t outer = 0, n = 0, inner = 0, windows = 0, size = 0, step = 0;
  const char* name() const override { return "UnfoldBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float* g = grads[0].data();
    float* gx = grad_buffer(0).mutable_data();
    // Windows overlap along n only, so each (o, i) column is owned by one thread and its windows
    // are added in order (Note [Determinism]).
    const int64_t per_column = std::max<int64_t>(windows * size, 1);
    parallel_for(outer * inner, std::max<int64_t>(1, detail::kElementwiseGrain / per_column),
                 [&](int64_t p0, int64_t p1) {
                   for (int64_t p = p0; p < p1; ++p) {
                     const int64_t o = p / inner, i = p % inner;
                     for (int64_t w = 0; w < windows; ++w) {
                       const float* src = g + ((o * windows + w) * inner + i) * size;
                       float* dst = gx + (o * n + w * step) * inner + i;
                       for (int64_t s = 0; s < size; ++s) dst[s * inner] += src[s];
                     }
                   }
                 });
  }
};

// x viewed as (outer, n, inner); y as (outer, left + n + right, inner).
struct PadReplicateBackward : Node {
  int64_t outer = 0, n = 0, inner = 0, left = 0, right = 0;
  const char* name() const override { return "PadReplicateBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float* g = grads[0].data();
    float* gx = grad_buffer(0).mutable_data();
    const auto& k = kernels::elementwise_kernels();
    const int64_t m = left + n + right;
    parallel_for(outer, std::max<int64_t>(1, detail::kElementwiseGrain / std::max<int64_t>(m * inner, 1)),
                 [&](int64_t o0, int64_t o1) {
                   for (int64_t o = o0; o < o1; ++o) {
                     const float* go = g + o * m * inner;
                     float* first = gx + o * n * inner;
                     k.add(first, go + left * inner, first, n * inner);
                     for (int64_t j = 0; j < left; ++j) k.add(first, go + j * inner, first, inner);
                     for (int64_t j = 0; j < right; ++j) {  // right > 0 implies n > 0
                       float* last = first + (n - 1) * inner;
                       k.add(last, go + (left + n + j) * inner, last, inner);
                     }
                   }
                 });
  }
};

void split_at(const Shape& s, int64_t a, int64_t& outer, int64_t& inner) {
  outer = inner = 1;
  for (int64_t d = 0; d < a; ++d) outer *= s[d];
  for (int64_t d = a + 1; d < s.rank(); ++d) inner *= s[d];
}

}  // namespace

Tensor unfold(const Tensor& x, int64_t axis, int64_t size, int64_t step) {
  const Shape& xs = x.shape();
  const int64_t a = xs.axis(axis, "unfold"), n = xs[a];
  SYN_CHECK_T(ValueError, size >= 1 && step >= 1, "unfold: size ", size, " and step ", step,
              " must be positive (shape ", xs, ", axis ", a, ")");
  SYN_CHECK_T(ShapeError, size <= n, "unfold: window size ", size, " exceeds size ", n, " of axis ", a,
              " in shape ", xs);
  const int64_t windows = (n - size) / step + 1;
  std::vector<int64_t> dims = xs.dims(), strides = xs.strides();
  dims[a] = windows;
  dims.push_back(size);
  strides.push_back(strides[a]);
  strides[a] *= step;
  Tensor y = Tensor::empty(Shape(dims));
  detail::strided_gather(x.data(), strides, y.shape(), y.mutable_data());
  if (auto* node = record<UnfoldBackward>({&x}, {&y})) {
    split_at(xs, a, node->outer, node->inner);
    node->n = n;
    node->windows = windows;
    node->size = size;
    node->step = step;
  }
  return y;
}

Tensor pad_replicate(const Tensor& x, int64_t axis, int64_t left, int64_t right) {
  const Shape& xs = x.shape();
  const int64_t a = xs.axis(axis, "pad_replicate"), n = xs[a];
  SYN_CHECK_T(ValueError, left >= 0 && right >= 0, "pad_replicate: padding ", left, " and ", right,
              " must not be negative (shape ", xs, ", axis ", a, ")");
  SYN_CHECK_T(ShapeError, n > 0 || left + right == 0, "pad_replicate: axis ", a, " of shape ", xs,
              " is empty, there is no edge value to replicate");
  int64_t outer, inner;
  split_at(xs, a, outer, inner);
  const int64_t m = left + n + right;
  Shape shape = xs;
  shape[a] = m;
  Tensor y = Tensor::empty(shape);
  const float* px = x.data();
  float* py = y.mutable_data();
  const size_t row_bytes = sizeof(float) * inner;
  parallel_for(outer, std::max<int64_t>(1, detail::kElementwiseGrain / std::max<int64_t>(m * inner, 1)),
               [&](int64_t o0, int64_t o1) {
                 for (int64_t o = o0; o < o1; ++o) {
                   const float* xo = px + o * n * inner;
                   float* yo = py + o * m * inner;
                   for (int64_t j = 0; j < left; ++j) std::memcpy(yo + j * inner, xo, row_bytes);
                   std::memcpy(yo + left * inner, xo, row_bytes * n);
                   for (int64_t j = 0; j < right; ++j)
                     std::memcpy(yo + (left + n + j) * inner, xo + (n - 1) * inner, row_bytes);
                 }
               });
  if (auto* node = record<PadReplicateBackward>({&x}, {&y})) {
    split_at(xs, a, node->outer, node->inner);
    node->n = n;
    node->left = left;
    node->right = right;
  }
  return y;
}

}  // namespace syn
