#include "synapse/ops/broadcast.hpp"

#include <algorithm>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/reduction.hpp"

namespace syn {

// a: A  b: B -> broadcast(A, B)
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
  if (a == b) return a;
  const int64_t rank = std::max(a.rank(), b.rank());
  std::vector<int64_t> dims(static_cast<size_t>(rank));
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.rank() ? 1 : a[i - (rank - a.rank())];
    const int64_t db = i < rank - b.rank() ? 1 : b[i - (rank - b.rank())];
    SYN_CHECK_T(ShapeError, da == db || da == 1 || db == 1, op, ": shapes ", a, " and ", b,
                " cannot be broadcast together (axis ", i - rank, ": ", da, " vs ", db, ")");
    dims[i] = da == 1 ? db : da;
  }
  return Shape(std::move(dims));
}

namespace {

// Whether `from` broadcasts to exactly `to`.
bool broadcasts_to(const Shape& from, const Shape& to) {
  if (from.rank() > to.rank()) return false;
  const int64_t lead = to.rank() - from.rank();
  for (int64_t i = 0; i < from.rank(); ++i)
    if (from[i] != 1 && from[i] != to[i + lead]) return false;
  return true;
}

}  // namespace

// g: G -> y: S
Tensor sum_to(const Tensor& g, const Shape& shape) {
  if (g.shape() == shape) return g;
  SYN_CHECK_T(ShapeError, broadcasts_to(shape, g.shape()), "sum_to: shape ", shape,
              " does not broadcast to the gradient's shape ", g.shape());
  // Leading axes that S lacks, and axes where S has 1 but G does not.
  const int64_t lead = g.rank() - shape.rank();
  std::vector<int64_t> axes;
  for (int64_t i = 0; i < g.rank(); ++i)
    if (i < lead || (shape[i - lead] == 1 && g.shape()[i] != 1)) axes.push_back(i);
  return detail::sum_keepdim(g, axes).view(shape);
}

namespace {

struct ExpandBackward : Node {
  const char* name() const override { return "ExpandBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (needs_grad(0)) accumulate_grad(0, sum_to(grads[0], input_shape(0)));
  }
};

}  // namespace

// x: X -> y: S
Tensor expand(const Tensor& x, const Shape& shape) {
  SYN_CHECK_T(ShapeError, broadcasts_to(x.shape(), shape), "expand: shape ", x.shape(),
              " cannot be broadcast to ", shape);
  Tensor y = x.shape() == shape ? Tensor::empty(shape).copy_(x) : detail::broadcast_to(x, shape);
  record<ExpandBackward>({&x}, {&y});
  return y;
}

}  // namespace syn
