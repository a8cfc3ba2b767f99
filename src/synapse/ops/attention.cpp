#include "synapse/ops/attention.hpp"

#include "synapse/ops/attention_composed.hpp"

namespace syn {

// Until the fused kernel lands (kernels issue), attention is the composed reference.
Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal,
                                    float scale) {
  return composed_attention(q, k, v, causal, scale);
}

}  // namespace syn
