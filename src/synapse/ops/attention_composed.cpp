#include "synapse/ops/attention_composed.hpp"

#include <cmath>
#include <limits>

#include "synapse/core/error.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/matmul.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/softmax.hpp"

namespace syn {

Tensor composed_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal, float scale) {
  SYN_CHECK_T(ShapeError, q.rank() >= 2 && k.rank() == q.rank() && v.rank() == q.rank(),
              "composed_attention: q ", q.shape(), ", k ", k.shape(), ", v ", v.shape(),
              " must have the same rank >= 2");
  const int64_t t = q.size(-2), s = k.size(-2), d = q.size(-1);
  if (scale <= 0.f) scale = 1.f / std::sqrt(static_cast<float>(d));
  Tensor scores = mul(matmul(q, transpose(k, -1, -2)), scale);  // (..., T, S)
  if (causal) {
    // additive mask (T, S): -inf above the diagonal, broadcast over the leading axes
    Tensor mask = Tensor::zeros(Shape{t, s});
    float* m = mask.mutable_data();
    for (int64_t i = 0; i < t; ++i)
      for (int64_t j = i + 1; j < s; ++j) m[i * s + j] = -std::numeric_limits<float>::infinity();
    scores = add(scores, mask);
  }
  return matmul(softmax(scores, -1), v);
}

}  // namespace syn
