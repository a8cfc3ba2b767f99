// concat and stack: both write each input as one contiguous chunk of every output row.
#include <cstring>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

// y viewed as (outer, row); input k viewed as (outer, width[k]) fills [begin[k], begin[k] + width[k]).
struct JoinLayout {
  int64_t outer = 1, row = 0;
  std::vector<int64_t> begin, width;
};

int64_t row_grain(int64_t row) {
  return std::max<int64_t>(1, detail::kElementwiseGrain / std::max<int64_t>(row, 1));
}

struct JoinBackward : Node {
  const char* op = "ConcatBackward";
  JoinLayout layout;
  const char* name() const override { return op; }
  void backward(const std::vector<Tensor>& grads) override {
    const float* g = grads[0].data();
    const auto& k = kernels::elementwise_kernels();
    for (int i = 0; i < num_inputs(); ++i) {
      if (!needs_grad(i)) continue;
      float* gx = grad_buffer(i).mutable_data();
      const int64_t w = layout.width[i], b = layout.begin[i];
      parallel_for(layout.outer, row_grain(w), [&](int64_t o0, int64_t o1) {
        for (int64_t o = o0; o < o1; ++o) k.add(gx + o * w, g + o * layout.row + b, gx + o * w, w);
      });
    }
  }
};

Tensor join(const std::vector<Tensor>& xs, const Shape& shape, JoinLayout layout, const char* node_name) {
  Tensor y = Tensor::empty(shape);
  float* py = y.mutable_data();
  parallel_for(layout.outer, row_grain(layout.row), [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o)
      for (size_t i = 0; i < xs.size(); ++i)
        std::memcpy(py + o * layout.row + layout.begin[i], xs[i].data() + o * layout.width[i],
                    sizeof(float) * layout.width[i]);
  });
  std::vector<const Tensor*> inputs;
  for (const Tensor& x : xs) inputs.push_back(&x);
  if (auto* node = record<JoinBackward>(inputs, {&y})) {
    node->op = node_name;
    node->layout = std::move(layout);
  }
  return y;
}

void check_list(const std::vector<Tensor>& xs, const char* op) {
  SYN_CHECK_T(ValueError, !xs.empty(), op, ": needs at least one tensor");
  for (size_t i = 0; i < xs.size(); ++i)
    SYN_CHECK_T(ValueError, xs[i].defined(), op, ": tensor ", i, " is undefined");
}

}  // namespace

Tensor concat(const std::vector<Tensor>& xs, int64_t axis) {
  check_list(xs, "concat");
  const Shape& first = xs[0].shape();
  const int64_t a = first.axis(axis, "concat");
  JoinLayout layout;
  int64_t inner = 1, total = 0;
  for (int64_t d = 0; d < a; ++d) layout.outer *= first[d];
  for (int64_t d = a + 1; d < first.rank(); ++d) inner *= first[d];
  for (size_t i = 0; i < xs.size(); ++i) {
    const Shape& s = xs[i].shape();
    bool fits = s.rank() == first.rank();
    for (int64_t d = 0; fits && d < s.rank(); ++d) fits = d == a || s[d] == first[d];
    SYN_CHECK_T(ShapeError, fits, "concat: tensor ", i, " of shape ", s, " does not match tensor 0 of shape ",
                first, " outside axis ", a);
    layout.begin.push_back(total * inner);
    layout.width.push_back(s[a] * inner);
    total += s[a];
  }
  layout.row = total * inner;
  Shape shape = first;
  shape[a] = total;
  return join(xs, shape, std::move(layout), "ConcatBackward");
}

Tensor stack(const std::vector<Tensor>& xs, int64_t axis) {
  check_list(xs, "stack");
  const Shape& first = xs[0].shape();
  const int64_t r = first.rank();
  SYN_CHECK_T(IndexError, axis >= -r - 1 && axis <= r, "stack: axis ", axis, " is out of range for shape ",
              first, " (a new axis goes in [", -r - 1, ", ", r, "])");
  const int64_t a = axis < 0 ? axis + r + 1 : axis;
  JoinLayout layout;
  int64_t inner = 1;
  for (int64_t d = 0; d < a; ++d) layout.outer *= first[d];
  for (int64_t d = a; d < r; ++d) inner *= first[d];
  for (size_t i = 0; i < xs.size(); ++i) {
    SYN_CHECK_T(ShapeError, xs[i].shape() == first, "stack: tensor ", i, " has shape ", xs[i].shape(),
                " but tensor 0 has shape ", first);
    layout.begin.push_back(static_cast<int64_t>(i) * inner);
    layout.width.push_back(inner);
  }
  layout.row = static_cast<int64_t>(xs.size()) * inner;
  std::vector<int64_t> dims = first.dims();
  dims.insert(dims.begin() + a, static_cast<int64_t>(xs.size()));
  return join(xs, Shape(dims), std::move(layout), "StackBackward");
}

}  // namespace syn
