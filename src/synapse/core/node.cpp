#include "synapse/core/node.hpp"

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/tape.hpp"

namespace syn {

SavedTensor::SavedTensor(const Tensor& t)
    : tensor_(t), version_(t.defined() ? t.version() : 0), mask_(t.defined() ? t.mask() : nullptr) {}

const Tensor& SavedTensor::get(const Node& node) const {
  SYN_CHECK_T(AutogradError, !tensor_.defined() || tensor_.mask() == mask_, node.name(),
              ": the mask of a tensor of shape ", tensor_.shape(), " saved for backward changed after the ",
              "forward pass (Note [Mask invariants] 5); change masks between training steps, not inside one");
  SYN_CHECK_T(AutogradError, !tensor_.defined() || tensor_.version() == version_, node.name(),
              ": a tensor of shape ", tensor_.shape(), " saved for backward was modified in place ",
              "after the forward pass (version ", tensor_.version(), ", saved at version ", version_,
              "); clone it before modifying, or modify it outside the recorded computation");
  return tensor_;
}

void Node::add_into(Tensor& slot, bool& owned, const Tensor& g, const char* node) {
  if (!slot.defined()) {
    slot = g;
    owned = false;
    return;
  }
  SYN_CHECK_T(AutogradError, slot.shape() == g.shape(), node, ": gradient of shape ", g.shape(),
              " does not match the accumulated gradient of shape ", slot.shape());
  if (!owned) {
    slot = slot.clone();
    owned = true;
  }
  float* s = slot.mutable_data();
  const float* d = g.data();
  const int64_t n = slot.numel();
  for (int64_t i = 0; i < n; ++i) s[i] += d[i];
}

void Node::add_output_grad(int output, const Tensor& g) {
  bool owned = owned_[output];
  add_into(output_grads_[output], owned, g, name());
  owned_[output] = owned;
}

bool Node::has_output_grad() const {
  for (const Tensor& g : output_grads_)
    if (g.defined()) return true;
  return false;
}

std::vector<Tensor> Node::take_output_grads() {
  std::vector<Tensor> grads(output_grads_.size());
  grads.swap(output_grads_);
  output_grads_.resize(grads.size());
  owned_.assign(grads.size(), false);
  return grads;
}

void Node::accumulate_grad(int input, const Tensor& g) {
  Edge& e = inputs_[input];
  if (!e.needs_grad) return;
  SYN_CHECK_T(AutogradError, g.shape() == e.shape, name(), ": gradient for input ", input,
              " has shape ", g.shape(), " but the input has shape ", e.shape);
  if (e.node) {
    e.node->add_output_grad(e.output_nr, g);
  } else {
    Tensor leaf(e.leaf);
    Tensor current = leaf.grad();
    if (!current.defined()) {
      leaf.set_grad(g.clone());
    } else {
      bool owned = true;
      add_into(current, owned, g, name());
    }
  }
}

Tensor& Node::grad_buffer(int input) {
  Edge& e = inputs_[input];
  SYN_CHECK_T(AutogradError, e.needs_grad, name(), ": grad_buffer for input ", input,
              " which needs no gradient");
  if (e.node) {
    Tensor& slot = e.node->output_grads_[e.output_nr];
    if (!slot.defined()) {
      slot = Tensor::zeros(e.shape);
    } else if (!e.node->owned_[e.output_nr]) {
      slot = slot.clone();
    }
    e.node->owned_[e.output_nr] = true;
    return slot;
  }
  if (!e.leaf->grad) e.leaf->grad = Tensor::zeros(e.shape).impl_ptr();
  // The leaf's gradient handle is kept in the edge so that the reference stays valid.
  leaf_grad_handle_.resize(inputs_.size());
  leaf_grad_handle_[input] = Tensor(e.leaf->grad);
  return leaf_grad_handle_[input];
}

bool should_record(std::span<const Tensor* const> inputs) {
  if (!grad_enabled()) return false;
  for (const Tensor* t : inputs)
    if (t && t->defined() && t->requires_grad()) return true;
  return false;
}

void attach_node(std::shared_ptr<Node> node, std::span<const Tensor* const> inputs,
                 std::initializer_list<Tensor*> outputs) {
  Tape& tape = Tape::current();
  std::vector<Node::Edge> edges;
  edges.reserve(inputs.size());
  for (const Tensor* t : inputs) {
    Node::Edge e;
    if (t && t->defined()) {
      e.shape = t->shape();
      e.needs_grad = t->requires_grad();
      TensorImpl* impl = t->impl();
      if (e.needs_grad && impl->has_grad_fn) {
        std::shared_ptr<Node> producer = impl->grad_fn.lock();
        SYN_CHECK_T(AutogradError, producer != nullptr, node->name(), ": input ", edges.size(),
                    " of shape ", e.shape, " comes from a graph that backward() has already freed; ",
                    "call detach() on it to use it as a constant");
        SYN_CHECK_T(AutogradError, producer->tape() == &tape, node->name(), ": input ",
                    edges.size(), " was recorded on another thread's tape");
        e.node = producer.get();
        e.output_nr = impl->output_nr;
      } else if (e.needs_grad) {
        e.leaf = t->impl_ptr();
      }
    }
    edges.push_back(std::move(e));
  }
  node->set_inputs(std::move(edges));
  node->set_num_outputs(static_cast<int>(outputs.size()));
  int k = 0;
  for (Tensor* out : outputs) {
    TensorImpl* impl = out->impl();
    impl->requires_grad = true;
    impl->has_grad_fn = true;
    impl->grad_fn = node;
    impl->output_nr = k++;
  }
  tape.push(std::move(node));
}

}  // namespace syn
