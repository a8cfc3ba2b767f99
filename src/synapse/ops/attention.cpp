#include "synapse/ops/attention.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/attention_kernels.hpp"

namespace syn {
namespace {

using kernels::AttentionDims;

// Heads per parallel chunk: enough work (multiply-adds) to pay for a thread.
int64_t head_grain(const AttentionDims& dims) {
  const int64_t work = dims.tq * dims.tk * (dims.d + dims.dv) + 1;
  return std::max<int64_t>(1, 200000 / work);
}

// Runs f(kernels, first_head, end_head, workspace) over chunks of heads in parallel.
template <class F>
void over_heads(const AttentionDims& dims, int64_t heads, F&& f) {
  const kernels::AttentionKernels& kern = kernels::attention_kernels();
  const size_t floats = kern.workspace(dims);
  parallel_for(heads, head_grain(dims), [&](int64_t begin, int64_t end) {
    std::vector<float> workspace(floats);
    f(kern, begin, end, workspace.data());
  });
}

struct AttentionBackward : Node {
  AttentionDims dims;
  int64_t heads = 0;
  SavedTensor q, k, v, out;
  Tensor lse;  // (heads, tq), internal
  const char* name() const override { return "AttentionBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!grads[0].defined()) return;
    const Tensor &qs = q.get(*this), &ks = k.get(*this), &vs = v.get(*this), &os = out.get(*this);
    float* pdq = needs_grad(0) ? grad_buffer(0).mutable_data() : nullptr;
    float* pdk = needs_grad(1) ? grad_buffer(1).mutable_data() : nullptr;
    float* pdv = needs_grad(2) ? grad_buffer(2).mutable_data() : nullptr;
    const float* dout = grads[0].data();
    const int64_t sq = dims.tq * dims.d, sk = dims.tk * dims.d, sv = dims.tk * dims.dv,
                  so = dims.tq * dims.dv;
    over_heads(dims, heads, [&](const kernels::AttentionKernels& kern, int64_t b, int64_t e, float* ws) {
      kern.backward(dims, e - b, qs.data() + b * sq, ks.data() + b * sk, vs.data() + b * sv,
                    os.data() + b * so, dout + b * so, lse.data() + b * dims.tq, pdq ? pdq + b * sq : nullptr,
                    pdk ? pdk + b * sk : nullptr, pdv ? pdv + b * sv : nullptr, ws);
    });
  }
};

}  // namespace

Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, bool causal,
                                    std::optional<float> scale) {
  SYN_CHECK_T(ValueError, q.defined() && k.defined() && v.defined(),
              "scaled_dot_product_attention: undefined input");
  const int64_t rank = q.rank();
  SYN_CHECK_T(ShapeError, rank >= 2 && k.rank() == rank && v.rank() == rank,
              "scaled_dot_product_attention: q ", q.shape(), ", k ", k.shape(), " and v ", v.shape(),
              " must have the same rank, at least 2");
  int64_t heads = 1;
  for (int64_t a = 0; a < rank - 2; ++a) {
    SYN_CHECK_T(ShapeError, k.size(a) == q.size(a) && v.size(a) == q.size(a),
                "scaled_dot_product_attention: leading axes of q ", q.shape(), ", k ", k.shape(), " and v ",
                v.shape(), " differ");
    heads *= q.size(a);
  }
  AttentionDims dims;
  dims.tq = q.size(-2);
  dims.tk = k.size(-2);
  dims.d = q.size(-1);
  dims.dv = v.size(-1);
  dims.causal = causal;
  SYN_CHECK_T(ShapeError, k.size(-1) == dims.d && v.size(-2) == dims.tk, "scaled_dot_product_attention: q ",
              q.shape(), ", k ", k.shape(), " and v ", v.shape(),
              " do not fit (need q (..., tq, d), k (..., tk, d), v (..., tk, dv))");
  SYN_CHECK_T(ShapeError, dims.tk >= 1 && dims.d >= 1 && dims.dv >= 1, "scaled_dot_product_attention: k ",
              k.shape(), " and v ", v.shape(), " need at least one key and non-empty feature axes");
  dims.scale = scale.value_or(1.f / std::sqrt(static_cast<float>(dims.d)));

  std::vector<int64_t> out_dims = q.shape().dims();
  out_dims.back() = dims.dv;
  Tensor out = Tensor::empty(Shape(out_dims));
  Tensor lse = Tensor::empty(Shape{heads, dims.tq});
  const int64_t sq = dims.tq * dims.d, sk = dims.tk * dims.d, sv = dims.tk * dims.dv, so = dims.tq * dims.dv;
  float* po = out.mutable_data();
  float* pl = lse.mutable_data();
  over_heads(dims, heads, [&](const kernels::AttentionKernels& kern, int64_t b, int64_t e, float* ws) {
    kern.forward(dims, e - b, q.data() + b * sq, k.data() + b * sk, v.data() + b * sv, po + b * so,
                 pl + b * dims.tq, ws);
  });
  if (auto* node = record<AttentionBackward>({&q, &k, &v}, {&out})) {
    node->dims = dims;
    node->heads = heads;
    node->q = q;
    node->k = k;
    node->v = v;
    node->out = out.detach();
    node->lse = lse;
  }
  return out;
}

}  // namespace syn
