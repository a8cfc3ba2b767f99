#include "synapse/core/tape.hpp"

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"

namespace syn {

Tape& Tape::current() {
  thread_local Tape tape;
  return tape;
}

void Tape::push(std::shared_ptr<Node> node) {
  node->tape_index_ = nodes_.size();
  node->tape_ = this;
  nodes_.push_back(std::move(node));
}

void Tape::clear() {
  // Newest first: a node's saved tensors may hold the last handle to an older node's outputs,
  // and popping one at a time keeps destruction flat (Note [Tape, not tree]).
  while (!nodes_.empty()) nodes_.pop_back();
}

Tape::~Tape() { clear(); }

void Tape::run_backward(Node& root, int output_nr, const Tensor& seed, bool retain_graph) {
  SYN_CHECK_T(AutogradError, root.tape() == this && root.tape_index() < nodes_.size() &&
                                 nodes_[root.tape_index()].get() == &root,
              "backward: the output was recorded on another thread's tape");
  root.add_output_grad(output_nr, seed);
  {
    NoGradGuard no_grad;  // backward computations are never recorded
    try {
      for (size_t i = root.tape_index() + 1; i-- > 0;) {
        Node& node = *nodes_[i];
        if (!node.has_output_grad()) continue;
        std::vector<Tensor> grads = node.take_output_grads();
        node.backward(grads);
      }
    } catch (...) {
      for (auto& n : nodes_) n->take_output_grads();
      throw;
    }
  }
  if (!retain_graph) clear();
}

}  // namespace syn
