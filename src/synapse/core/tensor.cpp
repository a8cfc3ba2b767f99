#include "synapse/core/tensor.hpp"

#include <algorithm>
#include <cstring>
#include <ostream>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/core/tape.hpp"

namespace syn {

Tensor Tensor::empty(const Shape& shape) {
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::make_shared<Storage>(shape);
  impl->shape = shape;
  return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape) {
  Tensor t = empty(shape);  // zeroed at version 0: a new tensor, not an in-place write
  std::memset(t.impl()->storage->data(), 0, static_cast<size_t>(t.numel()) * sizeof(float));
  return t;
}
Tensor Tensor::ones(const Shape& shape) { return full(shape, 1.f); }
Tensor Tensor::full(const Shape& shape, float value) { return empty(shape).fill_(value); }
Tensor Tensor::scalar(float value) { return full(Shape{}, value); }

Tensor Tensor::from(const std::vector<float>& values, const Shape& shape) {
  SYN_CHECK_T(ShapeError, static_cast<int64_t>(values.size()) == shape.numel(), "Tensor::from: ",
              values.size(), " values do not fill shape ", shape);
  Tensor t = empty(shape);
  if (!values.empty()) std::memcpy(t.mutable_data(), values.data(), values.size() * sizeof(float));
  return t;
}

Tensor Tensor::arange(int64_t n) {
  Tensor t = empty(Shape{n});
  float* p = t.mutable_data();
  for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(i);
  return t;
}

Tensor Tensor::randn(const Shape& shape, Generator& gen, float mean, float stddev) {
  Tensor t = empty(shape);
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = mean + stddev * gen.normal();
  return t;
}

Tensor Tensor::rand(const Shape& shape, Generator& gen, float low, float high) {
  Tensor t = empty(shape);
  float* p = t.mutable_data();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = low + (high - low) * gen.uniform();
  return t;
}

void Tensor::check_defined(const char* what) const {
  SYN_CHECK_T(ValueError, impl_ != nullptr, "Tensor::", what, ": the tensor is undefined");
}

const Shape& Tensor::shape() const {
  check_defined("shape");
  return impl_->shape;
}

int64_t Tensor::size(int64_t axis) const { return shape()[shape().axis(axis, "Tensor::size")]; }

const float* Tensor::data() const {
  check_defined("data");
  return impl_->storage->data() + impl_->offset;
}

float* Tensor::mutable_data() {
  check_defined("mutable_data");
  impl_->storage->bump_version();
  return impl_->storage->data() + impl_->offset;
}

float Tensor::item() const {
  SYN_CHECK_T(ValueError, numel() == 1, "Tensor::item: needs exactly one element, got shape ",
              shape());
  return data()[0];
}

float Tensor::at(std::initializer_list<int64_t> index) const {
  SYN_CHECK_T(IndexError, static_cast<int64_t>(index.size()) == rank(), "Tensor::at: ",
              index.size(), " indices for shape ", shape());
  const auto strides = shape().strides();
  int64_t flat = 0, k = 0;
  for (int64_t i : index) {
    SYN_CHECK_T(IndexError, i >= 0 && i < shape()[k], "Tensor::at: index ", i, " out of range for axis ",
                k, " of shape ", shape());
    flat += i * strides[k++];
  }
  return data()[flat];
}

std::vector<float> Tensor::to_vector() const { return std::vector<float>(data(), data() + numel()); }

Tensor& Tensor::fill_(float value) {
  float* p = mutable_data();
  std::fill(p, p + numel(), value);
  return *this;
}

Tensor& Tensor::copy_(const Tensor& src) {
  SYN_CHECK_T(ShapeError, src.numel() == numel(), "Tensor::copy_: source of shape ", src.shape(),
              " into shape ", shape());
  if (numel()) std::memmove(mutable_data(), src.data(), static_cast<size_t>(numel()) * sizeof(float));
  return *this;
}

Tensor Tensor::clone() const {
  Tensor t = empty(shape());
  t.copy_(*this);
  t.impl_->mask = impl_->mask;
  return t;
}

Tensor Tensor::detach() const {
  check_defined("detach");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = impl_->storage;
  impl->offset = impl_->offset;
  impl->shape = impl_->shape;
  impl->mask = impl_->mask;
  return Tensor(std::move(impl));
}

Tensor Tensor::view(const Shape& new_shape) const {
  SYN_CHECK_T(ShapeError, new_shape.numel() == numel(), "view: cannot view shape ", shape(), " as ",
              new_shape);
  Tensor t = detach();
  t.impl_->shape = new_shape;  // same elements in the same order: the mask still fits (invariant 8)
  return t;
}

bool Tensor::requires_grad() const { return impl_ && impl_->requires_grad; }

Tensor& Tensor::set_requires_grad(bool value) {
  check_defined("set_requires_grad");
  SYN_CHECK_T(AutogradError, is_leaf(), "set_requires_grad: only leaf tensors can change ",
              "requires_grad (shape ", shape(), "); use detach() for a constant copy");
  impl_->requires_grad = value;
  return *this;
}

bool Tensor::is_leaf() const { return impl_ && !impl_->has_grad_fn; }

Tensor Tensor::grad() const {
  check_defined("grad");
  return impl_->grad ? Tensor(impl_->grad) : Tensor();
}

void Tensor::zero_grad() {
  check_defined("zero_grad");
  impl_->grad.reset();
}

void Tensor::set_grad(const Tensor& grad) {
  check_defined("set_grad");
  SYN_CHECK_T(ShapeError, !grad.defined() || grad.shape() == shape(), "set_grad: gradient of shape ",
              grad.shape(), " for a tensor of shape ", shape());
  impl_->grad = grad.impl_ptr();
}

uint64_t Tensor::version() const {
  check_defined("version");
  return impl_->storage->version();
}

void Tensor::backward(const Tensor& seed, bool retain_graph) const {
  check_defined("backward");
  SYN_CHECK_T(AutogradError, requires_grad(), "backward: the tensor of shape ", shape(),
              " does not require grad (no input of its computation requires grad)");
  Tensor g = seed;
  if (!g.defined()) {
    SYN_CHECK_T(AutogradError, numel() == 1, "backward: the output has shape ", shape(),
                " and is not a scalar; pass a seed gradient of that shape");
    g = Tensor::ones(shape());
  }
  SYN_CHECK_T(ShapeError, g.shape() == shape(), "backward: seed gradient of shape ", g.shape(),
              " for an output of shape ", shape());
  if (is_leaf()) {
    Tensor current = grad();
    if (current.defined()) {
      float* p = current.mutable_data();
      for (int64_t i = 0; i < numel(); ++i) p[i] += g.data()[i];
    } else {
      const_cast<Tensor*>(this)->set_grad(g.clone());
    }
    return;
  }
  std::shared_ptr<Node> node = impl_->grad_fn.lock();
  SYN_CHECK_T(AutogradError, node != nullptr, "backward: the graph of this output (shape ", shape(),
              ") has already been freed by an earlier backward(); pass retain_graph=true to the ",
              "first call to run backward twice");
  Tape::current().run_backward(*node, impl_->output_nr, g, retain_graph);
}

const std::shared_ptr<const Mask>& Tensor::mask() const {
  check_defined("mask");
  return impl_->mask;
}

Tensor& Tensor::set_mask(std::shared_ptr<const Mask> mask) {
  check_defined("set_mask");
  if (mask) {
    SYN_CHECK_T(ShapeError, mask->numel() == numel(), "set_mask: mask of ", mask->numel(),
                " entries for a tensor of shape ", shape());
    mask->zero_dead(mutable_data());
  }
  impl_->mask = std::move(mask);
  return *this;
}

std::ostream& operator<<(std::ostream& out, const Tensor& t) {
  if (!t.defined()) return out << "Tensor(undefined)";
  out << "Tensor" << t.shape() << " [";
  const int64_t n = t.numel(), shown = std::min<int64_t>(n, 16);
  for (int64_t i = 0; i < shown; ++i) out << (i ? ", " : "") << t.data()[i];
  if (n > shown) out << ", ...";
  return out << ']';
}

}  // namespace syn
