#include "synapse/ops/loss.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/reduction.hpp"
#include "synapse/ops/subgradient.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

enum class Kind { mse, mae, huber };

struct LossSpec {
  const char* op;
  const char* node;
  Kind kind;
  float delta = 0.f;  // huber only
};

const kernels::ElementwiseKernels& table() { return kernels::elementwise_kernels(); }

// t[0, len) holds d = pred - target; replaces it by the per-element losses.
void losses(const LossSpec& s, float* t, int64_t len) {
  switch (s.kind) {
    case Kind::mse:
      table().mul(t, t, t, len);
      break;
    case Kind::mae:
      table().abs(t, t, len);
      break;
    case Kind::huber:
      for (int64_t i = 0; i < len; ++i) {
        const float a = std::fabs(t[i]);
        t[i] = a <= s.delta ? 0.5f * t[i] * t[i] : s.delta * (a - 0.5f * s.delta);
      }
      break;
  }
}

// t[0, len) holds d; returns the sum of the per-element losses (one block, Note [Reduction order]).
float block_total(const LossSpec& s, float* t, int64_t len) {
  if (s.kind == Kind::mse) return table().dot(t, t, len);
  losses(s, t, len);
  return table().sum(t, len);
}

// t[0, len) holds d; replaces it by the derivative of the per-element loss (Note [Subgradients]).
void slopes(const LossSpec& s, float* t, int64_t len) {
  switch (s.kind) {
    case Kind::mse:
      table().add(t, t, t, len);  // 2d
      break;
    case Kind::mae:
      for (int64_t i = 0; i < len; ++i) t[i] = detail::sign(t[i]);
      break;
    case Kind::huber:
      table().clamp(t, -s.delta, s.delta, t, len);
      break;
  }
}

// dpred = g·loss'(d), dtarget = -dpred, g per element (none) or g / n (mean) or g (sum).
struct LossBackward : Node {
  LossSpec spec{};
  Reduction reduction = Reduction::mean;
  SavedTensor pred, target;
  const char* name() const override { return spec.node; }
  void backward(const std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    const float *pp = pred.get(*this).data(), *pt = target.get(*this).data(), *pg = g.data();
    const int64_t n = input_shape(0).numel();
    float* dp = needs_grad(0) ? grad_buffer(0).mutable_data() : nullptr;
    float* dt = needs_grad(1) ? grad_buffer(1).mutable_data() : nullptr;
    const float scale = reduction == Reduction::none  ? 1.f
                        : reduction == Reduction::sum ? pg[0]
                                                      : pg[0] / static_cast<float>(n);
    parallel_for(n, detail::kElementwiseGrain, [&](int64_t begin, int64_t end) {
      std::array<float, detail::kScratch> t;
      for (int64_t i = begin; i < end; i += detail::kScratch) {
        const int64_t len = std::min(detail::kScratch, end - i);
        table().sub(pp + i, pt + i, t.data(), len);
        slopes(spec, t.data(), len);
        if (reduction == Reduction::none) {
          table().mul(t.data(), pg + i, t.data(), len);
        } else {
          table().mul_scalar(t.data(), scale, t.data(), len);
        }
        if (dp) table().add(dp + i, t.data(), dp + i, len);
        if (dt) table().sub(dt + i, t.data(), dt + i, len);
      }
    });
  }
};

// pred, target: X -> y: () or X
Tensor loss(const LossSpec& spec, const Tensor& pred, const Tensor& target, Reduction reduction) {
  SYN_CHECK_T(ShapeError, pred.shape() == target.shape(), spec.op, ": pred ", pred.shape(), " and target ",
              target.shape(), " must have the same shape (losses do not broadcast)");
  const int64_t n = pred.numel();
  SYN_CHECK_T(ValueError, reduction != Reduction::mean || n > 0, spec.op,
              ": the mean over no elements (shape ", pred.shape(), ") is undefined");
  const float *pp = pred.data(), *pt = target.data();
  Tensor y;
  if (reduction == Reduction::none) {
    y = Tensor::empty(pred.shape());
    float* py = y.mutable_data();
    parallel_for(n, detail::kElementwiseGrain, [&](int64_t begin, int64_t end) {
      table().sub(pp + begin, pt + begin, py + begin, end - begin);
      losses(spec, py + begin, end - begin);
    });
  } else {
    const float total = detail::blocked_sum(n, [&](int64_t begin, int64_t len) {
      std::array<float, kReduceBlock> t;
      table().sub(pp + begin, pt + begin, t.data(), len);
      return block_total(spec, t.data(), len);
    });
    y = Tensor::scalar(reduction == Reduction::sum ? total : total / static_cast<float>(n));
  }
  if (auto* node = record<LossBackward>({&pred, &target}, {&y})) {
    node->spec = spec;
    node->reduction = reduction;
    node->pred = pred;
    node->target = target;
  }
  return y;
}

}  // namespace

Tensor mse_loss(const Tensor& pred, const Tensor& target, Reduction reduction) {
  return loss({"mse_loss", "MseLossBackward", Kind::mse}, pred, target, reduction);
}

Tensor mae_loss(const Tensor& pred, const Tensor& target, Reduction reduction) {
  return loss({"mae_loss", "MaeLossBackward", Kind::mae}, pred, target, reduction);
}

Tensor huber_loss(const Tensor& pred, const Tensor& target, float delta, Reduction reduction) {
  SYN_CHECK_T(ValueError, delta > 0.f, "huber_loss: delta must be > 0, got ", delta, " (shape ", pred.shape(),
              ")");
  return loss({"huber_loss", "HuberLossBackward", Kind::huber, delta}, pred, target, reduction);
}

}  // namespace syn
