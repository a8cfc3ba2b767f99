#include "synapse/ops/reduce.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/reduction.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

using detail::ReduceDims;

// Which axes a reduction removes, and the shapes around it.
struct Reduction {
  std::vector<int64_t> axes;  // sorted, distinct, non-negative
  Shape keep;                 // x's shape with the axes set to 1
  Shape out;                  // keep, or without the axes
  int64_t count = 1;          // elements reduced into each output
};

std::string axes_str(const std::vector<int64_t>& axes) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < axes.size(); ++i) out << (i ? ", " : "") << axes[i];
  return out.str() + ']';
}

Reduction plan(const char* op, const Shape& shape, const std::vector<int64_t>& axes, bool keepdim) {
  Reduction r;
  for (int64_t a : axes) r.axes.push_back(shape.axis(a, op));
  std::sort(r.axes.begin(), r.axes.end());
  const auto twice = std::adjacent_find(r.axes.begin(), r.axes.end());
  SYN_CHECK_T(IndexError, twice == r.axes.end(), op, ": axis ", twice == r.axes.end() ? 0 : *twice,
              " appears twice in ", axes_str(axes), " for shape ", shape);
  std::vector<int64_t> keep = shape.dims(), out;
  for (int64_t a : r.axes) {
    r.count *= keep[a];
    keep[a] = 1;
  }
  for (int64_t i = 0; i < shape.rank(); ++i)
    if (keepdim || !std::binary_search(r.axes.begin(), r.axes.end(), i)) out.push_back(keep[i]);
  r.keep = Shape(std::move(keep));
  r.out = Shape(std::move(out));
  return r;
}

Reduction plan_all(const char* op, const Shape& shape) {
  std::vector<int64_t> all(static_cast<size_t>(shape.rank()));
  std::iota(all.begin(), all.end(), int64_t{0});
  return plan(op, shape, all, false);
}

// For max and var, whose axes are one run: x viewed as (outer, count, inner).
ReduceDims dims_of(const Shape& shape, const Reduction& r) {
  if (r.axes.empty()) return ReduceDims{shape.numel(), 1, 1};
  return detail::reduce_dims(shape, r.axes.front(), r.axes.back());
}

void check_nonempty(const char* op, const Shape& shape, const Reduction& r) {
  SYN_CHECK_T(ValueError, r.count > 0, op, ": no elements to reduce over axes ", axes_str(r.axes),
              " of shape ", shape);
}

// t: any shape -> t / c, elementwise, not recorded
Tensor divide(const Tensor& t, float c) {
  return detail::broadcast_binary("divide", t, Tensor::scalar(c), kernels::elementwise_kernels().div);
}

// dx = g broadcast back over the reduced axes
struct SumBackward : Node {
  Shape keep;
  const char* name() const override { return "SumBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (needs_grad(0)) accumulate_grad(0, detail::broadcast_to(grads[0].view(keep), input_shape(0)));
  }
};

// dx = g / count, broadcast back over the reduced axes
struct MeanBackward : Node {
  Shape keep;
  float count = 1.f;
  const char* name() const override { return "MeanBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (needs_grad(0))
      accumulate_grad(0, detail::broadcast_to(divide(grads[0], count).view(keep), input_shape(0)));
  }
};

// dx[first maximal position] = g
struct MaxBackward : Node {
  ReduceDims d;
  std::vector<int64_t> index;  // (outer, inner): position along the reduced run
  const char* name() const override { return "MaxBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float* g = grads[0].data();
    float* gx = grad_buffer(0).mutable_data();
    parallel_for(d.outer * d.inner, detail::kElementwiseGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int64_t o = i / d.inner, j = i % d.inner;
        gx[(o * d.n + index[i]) * d.inner + j] += g[i];
      }
    });
  }
};

// dx = g·2(x - mean) / denominator
struct VarBackward : Node {
  SavedTensor x;
  Tensor mean;  // keep shape
  Shape keep;
  float denominator = 1.f;
  const char* name() const override { return "VarBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const auto& k = kernels::elementwise_kernels();
    const Tensor diff = detail::broadcast_binary(name(), x.get(*this), mean, k.sub);
    const Tensor scaled = divide(grads[0], denominator / 2.f).view(keep);
    accumulate_grad(0, detail::broadcast_binary(name(), diff, scaled, k.mul));
  }
};

Tensor sum_over(const Tensor& x, const Reduction& r) {
  const Tensor s = detail::sum_keepdim(x, r.axes);
  Tensor y = s.same(x) ? Tensor::empty(r.out).copy_(x) : s.view(r.out);
  if (auto* node = record<SumBackward>({&x}, {&y})) node->keep = r.keep;
  return y;
}

Tensor mean_over(const char* op, const Tensor& x, const Reduction& r) {
  check_nonempty(op, x.shape(), r);
  const float count = static_cast<float>(r.count);
  Tensor y = divide(detail::sum_keepdim(x, r.axes), count).view(r.out);
  if (auto* node = record<MeanBackward>({&x}, {&y})) {
    node->keep = r.keep;
    node->count = count;
  }
  return y;
}

Tensor max_over(const Tensor& x, const Reduction& r) {
  check_nonempty("max", x.shape(), r);
  const ReduceDims d = dims_of(x.shape(), r);
  Tensor y = Tensor::empty(r.out);
  std::vector<int64_t> index(static_cast<size_t>(d.outer * d.inner));
  detail::max_middle(x.data(), d, y.mutable_data(), index.data());
  if (auto* node = record<MaxBackward>({&x}, {&y})) {
    node->d = d;
    node->index = std::move(index);
  }
  return y;
}

Tensor var_over(const Tensor& x, const Reduction& r, bool unbiased) {
  check_nonempty("var", x.shape(), r);
  const ReduceDims d = dims_of(x.shape(), r);
  Tensor sum = Tensor::empty(r.keep);
  detail::sum_middle(x.data(), d, sum.mutable_data());
  const Tensor mean = divide(sum, static_cast<float>(d.n));
  Tensor squares = Tensor::empty(r.keep);
  detail::sum_sq_diff_middle(x.data(), mean.data(), d, squares.mutable_data());
  const float denominator = static_cast<float>(d.n - (unbiased ? 1 : 0));
  Tensor y = divide(squares, denominator).view(r.out);
  if (auto* node = record<VarBackward>({&x}, {&y})) {
    node->x = x;
    node->mean = mean;
    node->keep = r.keep;
    node->denominator = denominator;
  }
  return y;
}

}  // namespace

// x: any shape -> y: ()
Tensor sum(const Tensor& x) { return sum_over(x, plan_all("sum", x.shape())); }
// x: (..., K, ...) -> y: (..., ...)
Tensor sum(const Tensor& x, int64_t axis, bool keepdim) {
  return sum_over(x, plan("sum", x.shape(), {axis}, keepdim));
}
Tensor sum(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim) {
  return sum_over(x, plan("sum", x.shape(), axes, keepdim));
}

Tensor mean(const Tensor& x) { return mean_over("mean", x, plan_all("mean", x.shape())); }
Tensor mean(const Tensor& x, int64_t axis, bool keepdim) {
  return mean_over("mean", x, plan("mean", x.shape(), {axis}, keepdim));
}
Tensor mean(const Tensor& x, const std::vector<int64_t>& axes, bool keepdim) {
  return mean_over("mean", x, plan("mean", x.shape(), axes, keepdim));
}

Tensor max(const Tensor& x) { return max_over(x, plan_all("max", x.shape())); }
Tensor max(const Tensor& x, int64_t axis, bool keepdim) {
  return max_over(x, plan("max", x.shape(), {axis}, keepdim));
}

Tensor var(const Tensor& x, bool unbiased) { return var_over(x, plan_all("var", x.shape()), unbiased); }
Tensor var(const Tensor& x, int64_t axis, bool unbiased, bool keepdim) {
  return var_over(x, plan("var", x.shape(), {axis}, keepdim), unbiased);
}

}  // namespace syn
