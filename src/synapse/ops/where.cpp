// where(cond, a, b) (elementwise.hpp).
#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/broadcast.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

// c, a, b, y: the same shape; y = c != 0 ? a : b. A selection, so no kernel of the table applies.
void select(const Tensor& c, const Tensor& a, const Tensor& b, Tensor& y) {
  const float *pc = c.data(), *pa = a.data(), *pb = b.data();
  float* py = y.mutable_data();
  parallel_for(y.numel(), detail::kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) py[i] = pc[i] != 0.f ? pa[i] : pb[i];
  });
}

// da = g where cond, db = g elsewhere (each then summed back to its operand's shape).
struct WhereBackward : Node {
  SavedTensor cond;
  const char* name() const override { return "WhereBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    const Tensor c = detail::broadcast_to(cond.get(*this), g.shape());
    const Tensor zeros = Tensor::zeros(g.shape());
    for (int i = 0; i < 2; ++i) {
      if (!needs_grad(i)) continue;
      Tensor routed = Tensor::empty(g.shape());
      select(c, i == 0 ? g : zeros, i == 0 ? zeros : g, routed);
      accumulate_grad(i, sum_to(routed, input_shape(i)));
    }
  }
};

}  // namespace

// cond: C  a: A  b: B  y: broadcast(C, A, B)
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  Shape out;
  try {
    out = broadcast_shapes("where", cond.shape(), broadcast_shapes("where", a.shape(), b.shape()));
  } catch (const ShapeError&) {
    throw ShapeError(detail::concat("where: shapes cond ", cond.shape(), ", a ", a.shape(), " and b ",
                                    b.shape(), " cannot be broadcast together"));
  }
  Tensor y = Tensor::empty(out);
  select(detail::broadcast_to(cond, out), detail::broadcast_to(a, out), detail::broadcast_to(b, out), y);
  if (auto* node = record<WhereBackward>({&a, &b}, {&y})) node->cond = cond;
  return y;
}

}  // namespace syn
