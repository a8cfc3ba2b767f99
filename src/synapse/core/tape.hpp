#pragma once
// Tape: the thread-local list of recorded nodes (Note [Tape, not tree] in core/node.hpp).
#include <memory>
#include <vector>

#include "synapse/core/node.hpp"

namespace syn {

class Tape {
 public:
  // The calling thread's tape.
  static Tape& current();

  void push(std::shared_ptr<Node> node);
  size_t size() const { return nodes_.size(); }
  bool empty() const { return nodes_.empty(); }
  // Drops every node, newest first (iteratively). Tensors produced by them become history-less.
  void clear();
  // Runs backward from `root` (a node on this tape) whose output `output_nr` gets `seed`.
  void run_backward(Node& root, int output_nr, const Tensor& seed, bool retain_graph);

  ~Tape();

 private:
  std::vector<std::shared_ptr<Node>> nodes_;
};

}  // namespace syn
