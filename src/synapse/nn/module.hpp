#pragma once
// Module: the base of every layer. It owns named parameters, buffers (running statistics) and child
// modules, each registered in order, and gives the PyTorch-compatible views of them: dotted names
// (`rnn.weight_ih_l0`, `encoder.layers.0.self_attn.in_proj_weight`), state_dict / load_state_dict,
// train / eval. Forward functions are the subclasses' own (their signatures differ).
//
// Tensors are handles: a subclass keeps the Tensor returned by register_parameter as its member and
// both refer to the same storage, gradient and mask. load_state_dict therefore copies values into
// the registered tensors in place and never replaces them.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"

namespace syn::nn {

// Name -> tensor, in registration order (parameters before buffers, a module's own entries before
// its children's), as torch's state_dict and named_parameters order them.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;
using StateDict = NamedTensors;

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // Registration. Names are non-empty, contain no '.', and are unique within this module across
  // parameters, buffers and children (ValueError otherwise). A parameter must be a defined leaf; it
  // is marked requires_grad. Each returns what it registered.
  Tensor register_parameter(const std::string& name, Tensor parameter);
  Tensor register_buffer(const std::string& name, Tensor buffer);
  // A random stream the module draws from while training (dropout masks), so that a resumed run
  // continues it (Note [Resumable training]). `gen` must live as long as the module (a member).
  void register_random_stream(const std::string& name, Generator& gen);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> child) {
    add_child(name, child);
    return child;
  }

  // Recursive views with dotted names, depth first in registration order.
  NamedTensors named_parameters() const;
  std::vector<Tensor> parameters() const;
  NamedTensors named_buffers() const;
  // Every registered random stream, depth first, with dotted names ("encoder.layers.0.dropout").
  std::vector<std::pair<std::string, Generator*>> named_random_streams() const;
  // Direct children only.
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const {
    return children_;
  }

  // Training mode, propagated to every descendant (Dropout and pruning read it).
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Note [MC dropout]
  // Monte Carlo dropout keeps dropout active at prediction time and averages several stochastic
  // forward passes; their spread estimates the model's uncertainty. MC mode is a switch of its own,
  // propagated like train(): in eval() + MC mode dropout is active while everything else (batch
  // norm statistics above all) behaves as in evaluation. Every dropout call site asks
  // dropout_active(), never is_training(). nn/mc_dropout.hpp turns it on for one prediction.
  void set_mc_dropout(bool on);
  bool mc_dropout() const { return mc_dropout_; }
  bool dropout_active() const { return training_ || mc_dropout_; }

  // Parameters and buffers by dotted name. The tensors share storage with the module's and carry
  // their masks (Note [Mask invariants] 7); clone them for a snapshot that later steps do not change.
  StateDict state_dict() const;
  // Copies every entry into the registered tensor of the same name, with its mask (or none). All
  // names and shapes are checked before anything is written: a missing or unexpected key throws
  // ValueError listing the keys, a shape mismatch throws ShapeError naming the key and both shapes.
  void load_state_dict(const StateDict& state);

  // Drops every parameter's accumulated gradient.
  void zero_grad();
  // Total number of parameter elements (dead entries of masked parameters included).
  int64_t num_parameters() const;

 private:
  void add_child(const std::string& name, std::shared_ptr<Module> child);
  void check_new_name(const std::string& name, const char* what) const;
  void collect(const std::string& prefix, bool with_parameters, bool with_buffers, NamedTensors& out) const;

  std::vector<std::pair<std::string, Tensor>> parameters_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  std::vector<std::pair<std::string, Generator*>> random_streams_;
  bool training_ = true;
  bool mc_dropout_ = false;
};

}  // namespace syn::nn
