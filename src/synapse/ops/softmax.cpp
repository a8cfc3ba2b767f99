// Both ops view x as (outer, n, inner) with the softmax axis in the middle. For inner == 1 (the
// last axis) a slice is one contiguous row, reduced with blocked kernels; otherwise the slices are
// the columns of an (n, inner) block, processed row by row with elementwise kernels so that each
// column is summed in row order. Either way one thread owns a slice (Note [Determinism]).
#include "synapse/ops/softmax.hpp"

#include <cmath>
#include <vector>

#include "synapse/core/node.hpp"
#include "synapse/ops/blocked_sums.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

struct Layout {
  int64_t outer = 1, n = 0, inner = 1;
};

Layout layout_of(const Tensor& x, int64_t axis, const char* op) {
  const Shape& s = x.shape();
  const int64_t a = s.axis(axis, op);
  Layout l;
  l.n = s[a];
  for (int64_t d = 0; d < a; ++d) l.outer *= s[d];
  for (int64_t d = a + 1; d < s.rank(); ++d) l.inner *= s[d];
  return l;
}

// Calls f(offset, work) for each (n, inner) block, blocks split across threads; `work` has room
// for max(n, 3 * inner) floats.
template <class F>
void for_each_block(const Layout& l, F f) {
  const int64_t block = l.n * l.inner;
  if (block == 0) return;
  parallel_for(l.outer, std::max<int64_t>(1, detail::kElementwiseGrain / block), [&](int64_t o0, int64_t o1) {
    std::vector<float> work(static_cast<size_t>(std::max(l.n, 3 * l.inner)));
    for (int64_t o = o0; o < o1; ++o) f(o * block, work.data());
  });
}

// x, y: (n, inner) blocks; y = softmax(x) or log_softmax(x) along n.
void forward_block(const float* x, float* y, const Layout& l, bool log, float* work) {
  const auto& k = kernels::elementwise_kernels();
  const int64_t n = l.n, in = l.inner;
  if (in == 1) {
    const float max = k.max(x, n);  // exact, so no blocking is needed
    k.add_scalar(x, -max, y, n);    // an all -inf row gives -inf - -inf = NaN
    if (log) {
      k.exp(y, work, n);
      k.add_scalar(y, -std::log(detail::blocked_sum(work, n)), y, n);
    } else {
      k.exp(y, y, n);
      k.mul_scalar(y, 1.f / detail::blocked_sum(y, n), y, n);
    }
    return;
  }
  float *max = work, *sum = work + in, *tmp = work + 2 * in;
  std::copy(x, x + in, max);
  for (int64_t j = 1; j < n; ++j)
    for (int64_t i = 0; i < in; ++i) {
      const float v = x[j * in + i];
      if (v > max[i] || v != v) max[i] = v;  // a NaN max stays: NaN > v is false
    }
  std::fill(sum, sum + in, 0.f);
  for (int64_t j = 0; j < n; ++j) {
    float* yj = y + j * in;
    k.sub(x + j * in, max, yj, in);
    k.exp(yj, log ? tmp : yj, in);
    k.add(sum, log ? tmp : yj, sum, in);
  }
  if (log) {
    k.log(sum, sum, in);
    for (int64_t j = 0; j < n; ++j) k.sub(y + j * in, sum, y + j * in, in);
  } else {
    for (int64_t i = 0; i < in; ++i) sum[i] = 1.f / sum[i];
    for (int64_t j = 0; j < n; ++j) k.mul(y + j * in, sum, y + j * in, in);
  }
}

Tensor forward(const Tensor& x, const Layout& l, bool log) {
  Tensor y = Tensor::empty(x.shape());
  const float* px = x.data();
  float* py = y.mutable_data();
  for_each_block(l, [&](int64_t off, float* work) { forward_block(px + off, py + off, l, log, work); });
  return y;
}

// y, gy, gx: (n, inner) blocks, y the saved output. Along n:
// softmax:     gx += y * (gy - sum(gy * y))
// log_softmax: gx += gy - exp(y) * sum(gy)
void backward_block(const float* y, const float* gy, float* gx, const Layout& l, bool log, float* work) {
  const auto& k = kernels::elementwise_kernels();
  const int64_t n = l.n, in = l.inner;
  if (in == 1) {
    if (log) {
      k.exp(y, work, n);
      k.mul_scalar(work, -detail::blocked_sum(gy, n), work, n);
      k.add(work, gy, work, n);
      k.add(gx, work, gx, n);
    } else {
      k.add_scalar(gy, -detail::blocked_dot(gy, y, n), work, n);
      k.mul_add(y, work, gx, n);
    }
    return;
  }
  float *acc = work, *tmp = work + in;
  std::fill(acc, acc + in, 0.f);
  if (log) {
    float* neg_sum = acc;
    for (int64_t j = 0; j < n; ++j) k.sub(neg_sum, gy + j * in, neg_sum, in);
    for (int64_t j = 0; j < n; ++j) {
      k.exp(y + j * in, tmp, in);
      k.mul(tmp, neg_sum, tmp, in);
      k.add(tmp, gy + j * in, tmp, in);
      k.add(gx + j * in, tmp, gx + j * in, in);
    }
  } else {
    float* dot = acc;
    for (int64_t j = 0; j < n; ++j) k.mul_add(gy + j * in, y + j * in, dot, in);
    for (int64_t j = 0; j < n; ++j) {
      k.sub(gy + j * in, dot, tmp, in);
      k.mul_add(y + j * in, tmp, gx + j * in, in);
    }
  }
}

struct SoftmaxBackward : Node {
  Layout l;
  bool log = false;
  SavedTensor y;
  const char* name() const override { return log ? "LogSoftmaxBackward" : "SoftmaxBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float* py = y.get(*this).data();
    const float* pg = grads[0].data();
    float* px = grad_buffer(0).mutable_data();
    for_each_block(
        l, [&](int64_t off, float* work) { backward_block(py + off, pg + off, px + off, l, log, work); });
  }
};

Tensor softmax_op(const Tensor& x, int64_t axis, bool log, const char* op) {
  const Layout l = layout_of(x, axis, op);
  Tensor y = forward(x, l, log);
  if (auto* node = record<SoftmaxBackward>({&x}, {&y})) {
    node->l = l;
    node->log = log;
    node->y = y.detach();
  }
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t axis) { return softmax_op(x, axis, false, "softmax"); }
Tensor log_softmax(const Tensor& x, int64_t axis) { return softmax_op(x, axis, true, "log_softmax"); }

}  // namespace syn
