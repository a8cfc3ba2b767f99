// reshape, transpose/permute, narrow/slice. concat/stack live in shape_ops_join.cpp, unfold and
// pad_replicate in shape_ops_window.cpp.
#include <cstring>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/node.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/strided_copy.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn {
namespace {

std::string dims_str(const std::vector<int64_t>& dims) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < dims.size(); ++i) out << (i ? ", " : "") << dims[i];
  out << ']';
  return out.str();
}

// A new handle on x's storage: `shape` starting `extra_offset` elements after x's first element.
// The caller gives it the matching mask (Note [Mask invariants] 8).
Tensor view_at(const Tensor& x, const Shape& shape, int64_t extra_offset) {
  Tensor y = x.detach();
  TensorImpl* impl = y.impl();
  impl->shape = shape;
  impl->offset += extra_offset;
  impl->mask = nullptr;
  return y;
}

struct ReshapeBackward : Node {
  const char* name() const override { return "ReshapeBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (needs_grad(0)) accumulate_grad(0, grads[0].view(input_shape(0)));
  }
};

// y axis d is x axis dims[d]; the gradient goes back through the same strided map.
struct PermuteBackward : Node {
  const char* op = "PermuteBackward";
  std::vector<int64_t> dims;
  const char* name() const override { return op; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const std::vector<int64_t> x_strides = input_shape(0).strides();
    std::vector<int64_t> strides(dims.size());
    for (size_t d = 0; d < dims.size(); ++d) strides[d] = x_strides[dims[d]];
    detail::strided_scatter_add(grads[0].data(), grads[0].shape(), strides, grad_buffer(0).mutable_data());
  }
};

// x viewed as (outer, row): y takes [begin, begin + width) of every row.
struct NarrowBackward : Node {
  int64_t outer = 0, row = 0, begin = 0, width = 0;
  const char* name() const override { return "NarrowBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    if (!needs_grad(0)) return;
    const float* g = grads[0].data();
    float* gx = grad_buffer(0).mutable_data();
    const auto& k = kernels::elementwise_kernels();
    parallel_for(outer, std::max<int64_t>(1, detail::kElementwiseGrain / std::max<int64_t>(width, 1)),
                 [&](int64_t o0, int64_t o1) {
                   for (int64_t o = o0; o < o1; ++o) {
                     float* dst = gx + o * row + begin;
                     k.add(dst, g + o * width, dst, width);
                   }
                 });
  }
};

Tensor permute_as(const Tensor& x, const std::vector<int64_t>& given, const char* op, const char* node_name) {
  const Shape& xs = x.shape();
  std::vector<int64_t> dims = given;
  SYN_CHECK_T(ShapeError, static_cast<int64_t>(dims.size()) == xs.rank(), op, ": dims ", dims_str(given),
              " do not match the rank of shape ", xs);
  std::vector<bool> seen(dims.size(), false);
  std::vector<int64_t> out_dims(dims.size());
  const std::vector<int64_t> x_strides = xs.strides();
  std::vector<int64_t> strides(dims.size());
  for (size_t d = 0; d < dims.size(); ++d) {
    dims[d] = xs.axis(dims[d], op);
    SYN_CHECK_T(ValueError, !seen[dims[d]], op, ": axis ", dims[d], " repeated in dims ", dims_str(given),
                " for shape ", xs);
    seen[dims[d]] = true;
    out_dims[d] = xs[dims[d]];
    strides[d] = x_strides[dims[d]];
  }
  Tensor y = Tensor::empty(Shape(out_dims));
  detail::strided_gather(x.data(), strides, y.shape(), y.mutable_data());
  if (auto* node = record<PermuteBackward>({&x}, {&y})) {
    node->op = node_name;
    node->dims = std::move(dims);
  }
  return y;
}

}  // namespace

Tensor reshape(const Tensor& x, const std::vector<int64_t>& dims) {
  std::vector<int64_t> out(dims);
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == -1) {
      SYN_CHECK_T(ShapeError, inferred < 0, "reshape: more than one -1 in ", dims_str(dims), " for shape ",
                  x.shape());
      inferred = static_cast<int64_t>(i);
    } else {
      SYN_CHECK_T(ShapeError, out[i] >= 0, "reshape: invalid size ", out[i], " in ", dims_str(dims),
                  " for shape ", x.shape());
      known *= out[i];
    }
  }
  if (inferred >= 0) {
    SYN_CHECK_T(ShapeError, known != 0 && x.numel() % known == 0, "reshape: cannot reshape shape ", x.shape(),
                " into ", dims_str(dims));
    out[inferred] = x.numel() / known;
  }
  const Shape shape(out);
  SYN_CHECK_T(ShapeError, shape.numel() == x.numel(), "reshape: cannot reshape shape ", x.shape(), " (",
              x.numel(), " elements) into ", dims_str(dims));
  Tensor y = x.view(shape);
  record<ReshapeBackward>({&x}, {&y});
  return y;
}

Tensor transpose(const Tensor& x, int64_t axis0, int64_t axis1) {
  const int64_t a0 = x.shape().axis(axis0, "transpose"), a1 = x.shape().axis(axis1, "transpose");
  std::vector<int64_t> dims(static_cast<size_t>(x.rank()));
  for (size_t d = 0; d < dims.size(); ++d) dims[d] = static_cast<int64_t>(d);
  std::swap(dims[a0], dims[a1]);
  return permute_as(x, dims, "transpose", "TransposeBackward");
}

Tensor permute(const Tensor& x, const std::vector<int64_t>& dims) {
  return permute_as(x, dims, "permute", "PermuteBackward");
}

Tensor narrow(const Tensor& x, int64_t axis, int64_t start, int64_t length) {
  const Shape& xs = x.shape();
  const int64_t a = xs.axis(axis, "narrow"), n = xs[a];
  SYN_CHECK_T(IndexError, start >= 0 && length >= 0 && start <= n && length <= n - start, "narrow: start ",
              start, " and length ", length, " do not fit axis ", a, " of size ", n, " in shape ", xs);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < a; ++d) outer *= xs[d];
  for (int64_t d = a + 1; d < xs.rank(); ++d) inner *= xs[d];
  Shape shape = xs;
  shape[a] = length;
  const int64_t row = n * inner, begin = start * inner, width = length * inner;
  Tensor y;
  if (outer == 1) {
    y = view_at(x, shape, begin);
  } else {
    y = Tensor::empty(shape);
    const float* px = x.data();
    float* py = y.mutable_data();
    parallel_for(outer, std::max<int64_t>(1, detail::kElementwiseGrain / std::max<int64_t>(width, 1)),
                 [&](int64_t o0, int64_t o1) {
                   for (int64_t o = o0; o < o1; ++o)
                     std::memcpy(py + o * width, px + o * row + begin, sizeof(float) * width);
                 });
  }
  if (const auto& mask = x.mask())  // Note [Mask invariants] 8; dead entries are already 0
    y.impl()->mask = width == row ? mask : mask->slice(outer, row, begin, width);
  if (auto* node = record<NarrowBackward>({&x}, {&y})) {
    node->outer = outer;
    node->row = row;
    node->begin = begin;
    node->width = width;
  }
  return y;
}

Tensor slice(const Tensor& x, int64_t axis, int64_t start, int64_t end) {
  const int64_t n = x.shape()[x.shape().axis(axis, "slice")];
  const int64_t b = start < 0 ? start + n : start, e = end < 0 ? end + n : end;
  SYN_CHECK_T(IndexError, b >= 0 && b <= e && e <= n, "slice: [", start, ", ", end, ") does not fit axis ",
              axis, " of size ", n, " in shape ", x.shape());
  return narrow(x, axis, b, e - b);
}

}  // namespace syn
