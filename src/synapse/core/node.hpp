#pragma once
// Node: one recorded op on the tape. Each op declares its forward function and a named backward
// struct deriving from Node side by side (AddBackward, SoftmaxBackward, ...).
//
// Note [Tape, not tree]
// Nodes are appended to a thread-local Tape in execution order, which is already a topological
// order; backward walks the tape in reverse, iteratively. A node refers to the nodes of its inputs
// by raw pointer (they live on the same tape, which owns them all) and tensors refer to their node
// by weak_ptr, so nothing owns anything recursively: a 100k-node chain is destroyed without deep
// recursion. Gradients of intermediate tensors live in the node that produced them and are freed
// as soon as that node's backward has run.
//
// Note [Saved tensor versions]
// Every in-place write bumps the storage's version counter. A node saves an input with save(),
// which records the version; get() in backward refuses to run if the tensor was modified in place
// after the forward pass, naming the node and the tensor's shape.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "synapse/core/tensor.hpp"

namespace syn {

class Tape;

class SavedTensor {
 public:
  SavedTensor() = default;
  SavedTensor(const Tensor& t);  // NOLINT: implicit on purpose, `saved = x;`
  // Returns the tensor, or throws AutogradError naming `node` if its values or its mask changed
  // since it was saved (Note [Mask invariants] 5).
  const Tensor& get(const Node& node) const;
  bool defined() const { return tensor_.defined(); }
  // The mask the tensor had when it was saved (the snapshot kernels use in backward).
  const std::shared_ptr<const Mask>& mask() const { return mask_; }

 private:
  Tensor tensor_;
  uint64_t version_ = 0;
  std::shared_ptr<const Mask> mask_;
};

class Node {
 public:
  virtual ~Node() = default;
  virtual const char* name() const = 0;
  // grads[k] is the gradient of output k (undefined if none reached it; such outputs count as 0).
  // Implementations call needs_grad(i) and add into input i with accumulate_grad or grad_buffer.
  virtual void backward(const std::vector<Tensor>& grads) = 0;

  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  int num_outputs() const { return static_cast<int>(output_grads_.size()); }
  bool needs_grad(int input) const { return inputs_[input].needs_grad; }
  const Shape& input_shape(int input) const { return inputs_[input].shape; }

  // Adds g (shape of input i) into input i's gradient. g may be kept without copying, so callers
  // must not write to g afterwards.
  void accumulate_grad(int input, const Tensor& g);
  // A gradient buffer for input i that the caller may accumulate into directly (+=); zeros if
  // nothing has been accumulated yet. Use when a kernel can write the gradient in place.
  Tensor& grad_buffer(int input);

  // Wiring, used by record() and the tape.
  struct Edge {
    Node* node = nullptr;                // producer of the input, if it is not a leaf
    int output_nr = 0;                   // which output of that producer
    std::shared_ptr<TensorImpl> leaf;    // the leaf, if it requires grad
    bool needs_grad = false;
    Shape shape;
  };
  void set_inputs(std::vector<Edge> inputs) { inputs_ = std::move(inputs); }
  void set_num_outputs(int n) { output_grads_.assign(static_cast<size_t>(n), Tensor()); owned_.assign(n, false); }
  void add_output_grad(int output, const Tensor& g);
  bool has_output_grad() const;
  std::vector<Tensor> take_output_grads();
  size_t tape_index() const { return tape_index_; }
  const Tape* tape() const { return tape_; }

 private:
  friend class Tape;
  static void add_into(Tensor& slot, bool& owned, const Tensor& g, const char* node);
  std::vector<Edge> inputs_;
  std::vector<Tensor> output_grads_;
  std::vector<bool> owned_;  // whether output_grads_[k] may be modified in place
  std::vector<Tensor> leaf_grad_handle_;  // keeps grad_buffer()'s reference valid for leaves
  size_t tape_index_ = 0;
  const Tape* tape_ = nullptr;
};

// True if any of the inputs requires grad and grad mode is on: then the op must record a node.
bool should_record(std::span<const Tensor* const> inputs);
inline bool should_record(std::initializer_list<const Tensor*> inputs) {
  return should_record(std::span<const Tensor* const>(inputs.begin(), inputs.size()));
}

// Creates node N (if should_record), wires it to `inputs`, appends it to the thread's tape and
// marks `outputs` as produced by it. Returns nullptr when nothing needs recording, so ops write:
//   if (auto* node = record<AddBackward>({&a, &b}, {&y})) { node->a_shape = a.shape(); ... }
// Ops with a run-time number of inputs (concat, stack) pass them as a span (e.g. a std::vector).
template <class N>
N* record(std::span<const Tensor* const> inputs, std::initializer_list<Tensor*> outputs);
template <class N>
N* record(std::initializer_list<const Tensor*> inputs, std::initializer_list<Tensor*> outputs) {
  return record<N>(std::span<const Tensor* const>(inputs.begin(), inputs.size()), outputs);
}

void attach_node(std::shared_ptr<Node> node, std::span<const Tensor* const> inputs,
                 std::initializer_list<Tensor*> outputs);

template <class N>
N* record(std::span<const Tensor* const> inputs, std::initializer_list<Tensor*> outputs) {
  if (!should_record(inputs)) return nullptr;
  auto node = std::make_shared<N>();
  N* raw = node.get();
  attach_node(std::move(node), inputs, outputs);
  return raw;
}

}  // namespace syn
