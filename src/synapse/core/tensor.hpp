#pragma once
// Tensor: a cheap handle to a TensorImpl — float32, contiguous row-major, 64-byte aligned storage
// shared between handles and views. Math lives in ops/ (free functions); this type only owns data,
// shape, the autograd attributes and the optional Mask.
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <vector>

#include "synapse/core/shape.hpp"
#include "synapse/core/storage.hpp"

namespace syn {

class Mask;
class Node;
class Generator;

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;  // in elements, for views (narrow along the leading axis)
  Shape shape;
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;  // accumulated gradient of a leaf
  std::shared_ptr<const Mask> mask;  // Note [Mask invariants] in core/mask.hpp
  std::weak_ptr<Node> grad_fn;       // the tape node that produced this tensor
  int output_nr = 0;                 // which output of grad_fn
  bool has_grad_fn = false;          // produced by a recorded op (not a leaf), even once freed
};

class Tensor {
 public:
  Tensor() = default;  // undefined
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Factories.
  //
  // Note [Uninitialised tensors]
  // empty() leaves the contents as the allocator gave them (a block reused from the buffer cache
  // holds an earlier tensor's values), so it is for outputs the caller writes in full before anything
  // reads them: an op's result, a kernel's destination with beta = 0 or accumulate = false, a gather.
  // Buffers that are accumulated into (gradients, moment estimates, sums) start from zeros().
  static Tensor empty(const Shape& shape);
  static Tensor zeros(const Shape& shape);
  static Tensor ones(const Shape& shape);
  static Tensor full(const Shape& shape, float value);
  static Tensor scalar(float value);                                   // rank 0
  static Tensor from(const std::vector<float>& values, const Shape& shape);
  static Tensor arange(int64_t n);                                     // 0, 1, ..., n-1
  static Tensor randn(const Shape& shape, Generator& gen, float mean = 0.f, float stddev = 1.f);
  static Tensor rand(const Shape& shape, Generator& gen, float low = 0.f, float high = 1.f);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  int64_t rank() const { return shape().rank(); }
  int64_t size(int64_t axis) const;  // negative axes count from the end
  int64_t numel() const { return shape().numel(); }

  // Read access. Writers use mutable_data(), which bumps the version counter.
  const float* data() const;
  float* mutable_data();
  float item() const;                                // the single value of a 1-element tensor
  float at(std::initializer_list<int64_t> index) const;
  std::vector<float> to_vector() const;

  // In-place writes (bump the version).
  Tensor& fill_(float value);
  Tensor& zero_() { return fill_(0.f); }
  Tensor& copy_(const Tensor& src);  // same numel

  // New storage with the same values; no autograd history.
  Tensor clone() const;
  // Same storage, no autograd history, requires_grad false.
  Tensor detach() const;
  // A view of the same storage with another shape (same numel). Not recorded on the tape: the
  // differentiable version is ops::reshape.
  Tensor view(const Shape& shape) const;

  // Autograd.
  bool requires_grad() const;
  Tensor& set_requires_grad(bool value = true);  // leaves only
  bool is_leaf() const;
  Tensor grad() const;  // undefined until a backward reaches this leaf
  void zero_grad();     // drops the accumulated gradient
  void set_grad(const Tensor& grad);
  // Reverse-mode differentiation from this tensor through the thread's tape. A non-scalar output
  // needs a seed gradient of its own shape. Without retain_graph the tape is cleared afterwards.
  void backward(const Tensor& seed = Tensor(), bool retain_graph = false) const;
  uint64_t version() const;

  // Mask (Note [Mask invariants]). set_mask zeroes the dead entries.
  const std::shared_ptr<const Mask>& mask() const;
  Tensor& set_mask(std::shared_ptr<const Mask> mask);

  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
  bool same(const Tensor& other) const { return impl_ == other.impl_; }

 private:
  void check_defined(const char* what) const;
  std::shared_ptr<TensorImpl> impl_;
};

// Prints shape and values (truncated for large tensors).
std::ostream& operator<<(std::ostream& out, const Tensor& t);

}  // namespace syn
