// batch_norm: x viewed as (N, C, L); channel c owns the N segments x[n, c, :] of length L. One
// thread owns a channel; segment sums are blocked kernel reductions added in n order in double.
// For L = 1 (x: (N, C), the transformers' BatchNorm over tokens) a channel's segments are single
// elements, one column of x: there a thread owns a range of columns and sweeps the rows in order, with
// each element's arithmetic exactly that of the segment path (so both give the same bits), instead of
// a few kernel calls per element.
#include <cmath>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/blocked_sums.hpp"
#include "synapse/ops/norm.hpp"

namespace syn {
namespace {

struct Layout {
  int64_t n = 0, c = 0, l = 1;
  int64_t count() const { return n * l; }
  int64_t segment(int64_t in, int64_t ic) const { return (in * c + ic) * l; }
  int64_t grain() const { return std::max<int64_t>(1, kReduceBlock / std::max<int64_t>(count(), 1)); }
};

// sum over the segments of channel ic of f(segment offset), in n order.
template <class F>
double channel_sum(const Layout& s, int64_t ic, F f) {
  double total = 0;
  for (int64_t in = 0; in < s.n; ++in) total += f(s.segment(in, ic));
  return total;
}

// Columns [c0, c1) of x (n, c) row-major: f(j, x[r, c0 + j]) for every row r in order, j in [0, c1 - c0).
template <class F>
void for_rows(const Layout& s, int64_t c0, int64_t c1, const float* x, F f) {
  for (int64_t r = 0; r < s.n; ++r)
    for (int64_t j = 0; j < c1 - c0; ++j) f(j, x[r * s.c + c0 + j]);
}

// Forward for L = 1: the statistics (training) or the running ones, then y = (x - mean)·scale + shift.
void columns_forward(const Layout& s, const float* px, const float* pw, const float* pb, const float* rm,
                     const float* rv, bool training, float eps, std::vector<float>& mean, std::vector<float>& rstd,
                     std::vector<double>& unbiased_var, float* py) {
  parallel_for(s.c, s.grain(), [&](int64_t c0, int64_t c1) {
    const auto w = static_cast<size_t>(c1 - c0);
    std::vector<double> sum(w, 0.0), sq(w, 0.0);
    std::vector<float> scale(w), shift(w);
    const double count = static_cast<double>(s.count());
    if (training) {
      for_rows(s, c0, c1, px, [&](int64_t j, float v) { sum[j] += v; });
      for (size_t j = 0; j < w; ++j) mean[c0 + j] = static_cast<float>(sum[j] / count);
      for_rows(s, c0, c1, px, [&](int64_t j, float v) {
        const float d = v - mean[c0 + j];
        sq[j] += d * d;
      });
    }
    for (size_t j = 0; j < w; ++j) {
      const int64_t ic = c0 + static_cast<int64_t>(j);
      if (training) {
        rstd[ic] = 1.f / std::sqrt(static_cast<float>(sq[j] / count) + eps);
        unbiased_var[ic] = sq[j] / (count - 1);
      } else {
        mean[ic] = rm[ic];
        rstd[ic] = 1.f / std::sqrt(rv[ic] + eps);
      }
      scale[j] = rstd[ic] * (pw ? pw[ic] : 1.f);
      shift[j] = pb ? pb[ic] : 0.f;
    }
    for (int64_t r = 0; r < s.n; ++r)
      for (size_t j = 0; j < w; ++j) {
        const int64_t o = r * s.c + c0 + static_cast<int64_t>(j);
        py[o] = (px[o] + -mean[c0 + j]) * scale[j] + shift[j];
      }
  });
}

// Backward for L = 1, the segment path's arithmetic per element (see BatchNormBackward).
void columns_backward(const Layout& s, bool training, const float* px, const float* pw, const float* gy,
                      const std::vector<float>& mean, const std::vector<float>& rstd, float* gx, float* gw,
                      float* gb) {
  parallel_for(s.c, s.grain(), [&](int64_t c0, int64_t c1) {
    const auto w = static_cast<size_t>(c1 - c0);
    std::vector<double> sum_gy(w, 0.0), sum_gy_x(w, 0.0);
    for (int64_t r = 0; r < s.n; ++r)
      for (size_t j = 0; j < w; ++j) {
        const int64_t o = r * s.c + c0 + static_cast<int64_t>(j);
        sum_gy[j] += gy[o];
        sum_gy_x[j] += gy[o] * (px[o] + -mean[c0 + j]);
      }
    std::vector<float> a(w), b(w), shift(w);  // gx += a·((x - mean)·b + gy + shift), or a·gy (eval)
    for (size_t j = 0; j < w; ++j) {
      const int64_t ic = c0 + static_cast<int64_t>(j);
      const float r = rstd[ic];
      const double sum_gy_xhat = r * sum_gy_x[j];
      if (gb) gb[ic] += static_cast<float>(sum_gy[j]);
      if (gw) gw[ic] += static_cast<float>(sum_gy_xhat);
      a[j] = r * (pw ? pw[ic] : 1.f);
      b[j] = -r * static_cast<float>(sum_gy_xhat / s.count());
      shift[j] = -static_cast<float>(sum_gy[j] / s.count());
    }
    if (!gx) return;
    for (int64_t r = 0; r < s.n; ++r)
      for (size_t j = 0; j < w; ++j) {
        const int64_t o = r * s.c + c0 + static_cast<int64_t>(j);
        const float t = training ? (px[o] + -mean[c0 + j]) * b[j] + gy[o] + shift[j] : gy[o];
        gx[o] += a[j] * t;
      }
  });
}

// xhat = (x - mean) * rstd.  training: gx += rstd * w * (gy - mean(gy) - xhat * mean(gy * xhat));
// eval (statistics are constants): gx += rstd * w * gy.  gw += sum(gy * xhat), gb += sum(gy).
struct BatchNormBackward : Node {
  SavedTensor x, weight;
  std::vector<float> mean, rstd;
  Layout s;
  bool training = false;
  const char* name() const override { return "BatchNormBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const float* gy = grads[0].data();
    const float* px = x.get(*this).data();
    const float* pw = weight.defined() ? weight.get(*this).data() : nullptr;
    float* gx = needs_grad(0) ? grad_buffer(0).mutable_data() : nullptr;
    float* gw = needs_grad(1) ? grad_buffer(1).mutable_data() : nullptr;
    float* gb = needs_grad(2) ? grad_buffer(2).mutable_data() : nullptr;
    const auto& k = kernels::elementwise_kernels();
    const int64_t l = s.l;
    if (l == 1) return columns_backward(s, training, px, pw, gy, mean, rstd, gx, gw, gb);
    parallel_for(s.c, s.grain(), [&](int64_t c0, int64_t c1) {
      std::vector<float> tmp(static_cast<size_t>(l));
      for (int64_t ic = c0; ic < c1; ++ic) {
        const float m = mean[ic], r = rstd[ic], w = pw ? pw[ic] : 1.f;
        const double sum_gy = channel_sum(s, ic, [&](int64_t o) { return detail::blocked_sum(gy + o, l); });
        // sum(gy * xhat) = rstd * sum(gy * (x - mean))
        const double sum_gy_xhat = r * channel_sum(s, ic, [&](int64_t o) {
                                     k.add_scalar(px + o, -m, tmp.data(), l);
                                     return detail::blocked_dot(gy + o, tmp.data(), l);
                                   });
        if (gb) gb[ic] += static_cast<float>(sum_gy);
        if (gw) gw[ic] += static_cast<float>(sum_gy_xhat);
        if (!gx) continue;
        const float mean_gy = static_cast<float>(sum_gy / s.count());
        const float mean_gy_xhat = static_cast<float>(sum_gy_xhat / s.count());
        for (int64_t in = 0; in < s.n; ++in) {
          const int64_t o = s.segment(in, ic);
          if (!training) {
            k.axpy(r * w, gy + o, gx + o, l);
            continue;
          }
          k.add_scalar(px + o, -m, tmp.data(), l);
          k.mul_scalar(tmp.data(), -r * mean_gy_xhat, tmp.data(), l);  // -xhat * mean(gy * xhat)
          k.add(tmp.data(), gy + o, tmp.data(), l);
          k.add_scalar(tmp.data(), -mean_gy, tmp.data(), l);
          k.axpy(r * w, tmp.data(), gx + o, l);
        }
      }
    });
  }
};

void check_channel_vector(const Tensor& t, const Layout& s, const Shape& xs, const char* what) {
  SYN_CHECK_T(ShapeError, !t.defined() || t.shape() == Shape{s.c}, "batch_norm: ", what, " ",
              t.defined() ? t.shape().str() : "", " must be (", s.c, ") for x ", xs);
}

}  // namespace

Tensor batch_norm(const Tensor& x, Tensor running_mean, Tensor running_var, const Tensor& weight,
                  const Tensor& bias, bool training, float momentum, float eps) {
  const Shape& xs = x.shape();
  SYN_CHECK_T(ShapeError, xs.rank() == 2 || xs.rank() == 3, "batch_norm: x ", xs,
              " must be (N, C) or (N, C, L)");
  Layout s{xs[0], xs[1], xs.rank() == 3 ? xs[2] : 1};
  check_channel_vector(running_mean, s, xs, "running_mean");
  check_channel_vector(running_var, s, xs, "running_var");
  check_channel_vector(weight, s, xs, "weight");
  check_channel_vector(bias, s, xs, "bias");
  SYN_CHECK_T(ValueError, running_mean.defined() == running_var.defined(), "batch_norm: running_mean and ",
              "running_var must be given together (x ", xs, ")");
  SYN_CHECK_T(ValueError, training || running_mean.defined(), "batch_norm: evaluation mode needs running ",
              "statistics (x ", xs, ")");
  SYN_CHECK_T(ValueError, !training || s.count() > 1, "batch_norm: training needs more than one value per ",
              "channel, x has shape ", xs);
  SYN_CHECK_T(ValueError, eps >= 0.f, "batch_norm: eps ", eps, " must be >= 0 (x ", xs, ")");

  std::vector<float> mean(static_cast<size_t>(s.c)), rstd(static_cast<size_t>(s.c));
  std::vector<double> unbiased_var(static_cast<size_t>(s.c));
  Tensor y = Tensor::empty(xs);
  const float* px = x.data();
  const float* pw = weight.defined() ? weight.data() : nullptr;
  const float* pb = bias.defined() ? bias.data() : nullptr;
  const float* rm = running_mean.defined() ? running_mean.data() : nullptr;
  const float* rv = running_var.defined() ? running_var.data() : nullptr;
  float* py = y.mutable_data();
  const auto& k = kernels::elementwise_kernels();
  const int64_t l = s.l;
  if (l == 1) {
    columns_forward(s, px, pw, pb, rm, rv, training, eps, mean, rstd, unbiased_var, py);
  } else {
  parallel_for(s.c, s.grain(), [&](int64_t c0, int64_t c1) {
    for (int64_t ic = c0; ic < c1; ++ic) {
      if (training) {
        const double count = static_cast<double>(s.count());
        mean[ic] = static_cast<float>(
            channel_sum(s, ic, [&](int64_t o) { return detail::blocked_sum(px + o, l); }) / count);
        const double sq =
            channel_sum(s, ic, [&](int64_t o) { return detail::blocked_sum_sq_diff(px + o, mean[ic], l); });
        rstd[ic] = 1.f / std::sqrt(static_cast<float>(sq / count) + eps);
        unbiased_var[ic] = sq / (count - 1);
      } else {
        mean[ic] = rm[ic];
        rstd[ic] = 1.f / std::sqrt(rv[ic] + eps);
      }
      const float scale = rstd[ic] * (pw ? pw[ic] : 1.f), shift = pb ? pb[ic] : 0.f;
      for (int64_t in = 0; in < s.n; ++in) {
        const int64_t o = s.segment(in, ic);
        k.add_scalar(px + o, -mean[ic], py + o, l);
        k.mul_scalar(py + o, scale, py + o, l);
        k.add_scalar(py + o, shift, py + o, l);
      }
    }
  });
  }
  if (training && running_mean.defined()) {
    float* pm = running_mean.mutable_data();
    float* pv = running_var.mutable_data();
    for (int64_t ic = 0; ic < s.c; ++ic) {
      pm[ic] = (1.f - momentum) * pm[ic] + momentum * mean[ic];
      pv[ic] = (1.f - momentum) * pv[ic] + momentum * static_cast<float>(unbiased_var[ic]);
    }
  }
  if (auto* node = record<BatchNormBackward>({&x, &weight, &bias}, {&y})) {
    node->x = x;
    node->weight = weight;
    node->mean = std::move(mean);
    node->rstd = std::move(rstd);
    node->s = s;
    node->training = training;
  }
  return y;
}

}  // namespace syn
