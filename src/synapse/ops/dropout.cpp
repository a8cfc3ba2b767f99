#include "synapse/ops/dropout.hpp"

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/core/random.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

// Note [Dropout streams]
// One 64-bit seed is drawn from the caller's generator; the mask is then filled in fixed blocks of
// kReduceBlock elements, block b drawing from its own stream Generator(seed, b) (element i is
// dropped when its uniform draw is < p). Blocks are
// independent, so they can be filled in parallel, and the mask is the same for any thread count.
Tensor draw_keep_scale(const Shape& shape, float p, Generator& gen) {
  Tensor keep_scale = Tensor::empty(shape);
  float* pm = keep_scale.mutable_data();
  const uint64_t seed = gen.next_u64();
  const float scale = 1.f / (1.f - p);
  const int64_t n = keep_scale.numel(), blocks = (n + kReduceBlock - 1) / kReduceBlock;
  parallel_for(blocks, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      Generator stream(seed, static_cast<uint64_t>(b));
      const int64_t end = std::min(n, (b + 1) * kReduceBlock);
      for (int64_t i = b * kReduceBlock; i < end; ++i) pm[i] = stream.uniform() < p ? 0.f : scale;
    }
  });
  return keep_scale;
}

// gx += gy * keep_scale (0 for dropped elements, 1 / (1 - p) for kept ones)
struct DropoutBackward : Node {
  Tensor keep_scale;
  const char* name() const override { return "DropoutBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (needs_grad(0)) detail::map_grad(keep_scale, grads[0], grad_buffer(0), kernels::elementwise_kernels().mul_add);
  }
};

}  // namespace

Tensor dropout(const Tensor& x, float p, bool training, Generator& gen) {
  SYN_CHECK_T(ValueError, p >= 0.f && p < 1.f, "dropout: p = ", p, " must be in [0, 1) (x ", x.shape(), ")");
  if (!training || p == 0.f) return x;
  Tensor keep_scale = draw_keep_scale(x.shape(), p, gen);
  Tensor y = Tensor::empty(x.shape());
  const float* px = x.data();
  const float* pm = keep_scale.data();
  float* py = y.mutable_data();
  const auto& k = kernels::elementwise_kernels();
  parallel_for(x.numel(), detail::kElementwiseGrain,
               [&](int64_t b, int64_t e) { k.mul(px + b, pm + b, py + b, e - b); });
  if (auto* node = record<DropoutBackward>({&x}, {&y})) node->keep_scale = std::move(keep_scale);
  return y;
}

}  // namespace syn
