// layer_norm: x viewed as (rows, d), one row per normalised slice, each row owned by one thread.
#include <cmath>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/blocked_sums.hpp"
#include "synapse/ops/norm.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

int64_t row_grain(int64_t d) {
  return std::max<int64_t>(1, detail::kElementwiseGrain / std::max<int64_t>(d, 1));
}

// xhat: (rows, d) = (x - mean) * rstd, row by row.
Tensor normalized(const float* x, const std::vector<float>& mean, const std::vector<float>& rstd, int64_t d) {
  const int64_t rows = static_cast<int64_t>(mean.size());
  Tensor xhat = Tensor::empty(Shape{rows, d});
  float* p = xhat.mutable_data();
  const auto& k = kernels::elementwise_kernels();
  parallel_for(rows, row_grain(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      k.add_scalar(x + r * d, -mean[r], p + r * d, d);
      k.mul_scalar(p + r * d, rstd[r], p + r * d, d);
    }
  });
  return xhat;
}

// With g = gy * weight:  gx += rstd * (g - mean(g) - xhat * mean(g * xhat)),
// gweight += sum_rows(gy * xhat), gbias += sum_rows(gy).
struct LayerNormBackward : Node {
  SavedTensor x, weight;
  std::vector<float> mean, rstd;
  int64_t d = 0;
  const char* name() const override { return "LayerNormBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const int64_t rows = static_cast<int64_t>(mean.size());
    const float* gy = grads[0].data();
    const auto& k = kernels::elementwise_kernels();
    Tensor xhat;
    if (needs_grad(0) || needs_grad(1)) xhat = normalized(x.get(*this).data(), mean, rstd, d);
    if (needs_grad(0)) {
      const float* w = weight.defined() ? weight.get(*this).data() : nullptr;
      const float* xh = xhat.data();
      float* gx = grad_buffer(0).mutable_data();
      parallel_for(rows, row_grain(d), [&](int64_t r0, int64_t r1) {
        std::vector<float> g(static_cast<size_t>(d));
        for (int64_t r = r0; r < r1; ++r) {
          const float* gyr = gy + r * d;
          const float* xhr = xh + r * d;
          if (w)
            k.mul(gyr, w, g.data(), d);
          else
            std::copy(gyr, gyr + d, g.begin());
          const float mean_g = detail::blocked_sum(g.data(), d) / static_cast<float>(d);
          const float mean_gx = detail::blocked_dot(g.data(), xhr, d) / static_cast<float>(d);
          k.add_scalar(g.data(), -mean_g, g.data(), d);
          k.axpy(-mean_gx, xhr, g.data(), d);
          k.axpy(rstd[r], g.data(), gx + r * d, d);
        }
      });
    }
    if (needs_grad(1)) detail::add_column_dots(gy, xhat.data(), rows, d, grad_buffer(1).mutable_data());
    if (needs_grad(2)) detail::add_column_sums(gy, rows, d, grad_buffer(2).mutable_data());
  }
};

}  // namespace

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight, const Tensor& bias,
                  float eps) {
  const Shape& xs = x.shape();
  const int64_t nr = normalized_shape.rank(), lead = xs.rank() - nr;
  bool fits = nr >= 1 && lead >= 0;
  for (int64_t i = 0; fits && i < nr; ++i) fits = xs[lead + i] == normalized_shape[i];
  SYN_CHECK_T(ShapeError, fits, "layer_norm: normalized shape ", normalized_shape,
              " is not the (non-empty) trailing part of x's shape ", xs);
  SYN_CHECK_T(ShapeError, !weight.defined() || weight.shape() == normalized_shape, "layer_norm: weight ",
              weight.defined() ? weight.shape().str() : "", " must have the normalized shape ",
              normalized_shape);
  SYN_CHECK_T(ShapeError, !bias.defined() || bias.shape() == normalized_shape, "layer_norm: bias ",
              bias.defined() ? bias.shape().str() : "", " must have the normalized shape ", normalized_shape);
  SYN_CHECK_T(ValueError, eps >= 0.f, "layer_norm: eps ", eps, " must be >= 0 (x ", xs, ")");
  const int64_t d = normalized_shape.numel(), rows = d == 0 ? 0 : xs.numel() / d;
  std::vector<float> mean(static_cast<size_t>(rows)), rstd(static_cast<size_t>(rows));
  Tensor y = Tensor::empty(xs);
  const float* px = x.data();
  const float* pw = weight.defined() ? weight.data() : nullptr;
  const float* pb = bias.defined() ? bias.data() : nullptr;
  float* py = y.mutable_data();
  const auto& k = kernels::elementwise_kernels();
  parallel_for(rows, row_grain(d), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = px + r * d;
      float* yr = py + r * d;
      mean[r] = detail::blocked_sum(xr, d) / static_cast<float>(d);
      const float var = detail::blocked_sum_sq_diff(xr, mean[r], d) / static_cast<float>(d);
      rstd[r] = 1.f / std::sqrt(var + eps);
      k.add_scalar(xr, -mean[r], yr, d);
      k.mul_scalar(yr, rstd[r], yr, d);
      if (pw) k.mul(yr, pw, yr, d);
      if (pb) k.add(yr, pb, yr, d);
    }
  });
  if (auto* node = record<LayerNormBackward>({&x, &weight, &bias}, {&y})) {
    node->x = x;
    node->weight = weight;
    node->mean = std::move(mean);
    node->rstd = std::move(rstd);
    node->d = d;
  }
  return y;
}

Tensor layer_norm_last(const Tensor& x, int64_t ndim, const Tensor& weight, const Tensor& bias, float eps) {
  const Shape& xs = x.shape();
  SYN_CHECK_T(IndexError, ndim >= 1 && ndim <= xs.rank(), "layer_norm: cannot normalise the last ", ndim,
              " axes of shape ", xs);
  const std::vector<int64_t> dims(xs.dims().end() - ndim, xs.dims().end());
  return layer_norm(x, Shape(dims), weight, bias, eps);
}

}  // namespace syn
