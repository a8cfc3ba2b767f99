#include "synapse/nn/recurrent.hpp"

#include <string>

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {

RecurrentState RecurrentState::detach() const {
  return {h.defined() ? h.detach() : Tensor(), c.defined() ? c.detach() : Tensor()};
}

Recurrent::Recurrent(RecurrentCell cell, const RecurrentOptions& options, Generator& gen)
    : cell_(cell), options_(options) {
  SYN_CHECK_T(ValueError, options.input_size > 0 && options.hidden_size > 0 && options.num_layers > 0,
              cell_name(cell), ": input_size (", options.input_size, "), hidden_size (", options.hidden_size,
              ") and num_layers (", options.num_layers, ") must be positive");
  SYN_CHECK_T(ValueError, options.dropout >= 0.f && options.dropout < 1.f, cell_name(cell), ": dropout ",
              options.dropout, " must be in [0, 1)");
  const int64_t hid = options.hidden_size, gates = gate_count(cell) * hid;
  for (int64_t k = 0; k < options.num_layers; ++k) {
    const std::string suffix = "_l" + std::to_string(k);
    const int64_t in = k == 0 ? options.input_size : hid;
    RecurrentWeights w;
    w.w_ih = register_parameter("weight_ih" + suffix, Tensor::empty(Shape{gates, in}));
    w.w_hh = register_parameter("weight_hh" + suffix, Tensor::empty(Shape{gates, hid}));
    w.b_ih = register_parameter("bias_ih" + suffix, Tensor::empty(Shape{gates}));
    w.b_hh = register_parameter("bias_hh" + suffix, Tensor::empty(Shape{gates}));
    for (const Tensor& t : {w.w_ih, w.w_hh, w.b_ih, w.b_hh}) init::recurrent_(t, gen, hid);
    layers_.push_back(w);
  }
  dropout_ = register_module("dropout", std::make_shared<Dropout>(options.dropout, gen.next_u64()));
}

const RecurrentWeights& Recurrent::layer(int64_t k) const {
  SYN_CHECK_T(IndexError, k >= 0 && k < options_.num_layers, cell_name(cell_), ": layer ", k, " of ",
              options_.num_layers);
  return layers_[static_cast<size_t>(k)];
}

RecurrentResult Recurrent::forward(const Tensor& x, const RecurrentState& state) {
  const char* name = cell_name(cell_);
  SYN_CHECK_T(ShapeError, x.defined() && x.rank() == 3 && x.size(2) == options_.input_size, name, ": x ",
              x.defined() ? x.shape().str() : "(undefined)", " must be ",
              options_.batch_first ? "(N, T, " : "(T, N, ", options_.input_size, ")");
  const int64_t layers = options_.num_layers, n = x.size(options_.batch_first ? 0 : 1),
                hid = options_.hidden_size;
  const Shape state_shape{layers, n, hid};
  const bool lstm = cell_ == RecurrentCell::lstm;
  SYN_CHECK_T(ShapeError, !state.h.defined() || state.h.shape() == state_shape, name, ": initial h ",
              state.h.defined() ? state.h.shape().str() : "", " must be ", state_shape);
  SYN_CHECK_T(ValueError, !state.c.defined() || lstm, name, ": only lstm takes an initial cell state");
  SYN_CHECK_T(ShapeError, !state.c.defined() || state.c.shape() == state_shape, name, ": initial c ",
              state.c.defined() ? state.c.shape().str() : "", " must be ", state_shape);

  // Layers run time-major (no transposes between them).
  Tensor seq = options_.batch_first ? transpose(x, 0, 1) : x;
  std::vector<Tensor> h_n, c_n;
  for (int64_t k = 0; k < layers; ++k) {
    auto layer_state = [&](const Tensor& s) {
      return s.defined() ? reshape(narrow(s, 0, k, 1), {n, hid}) : Tensor();
    };
    if (k > 0) seq = dropout_->forward(seq);
    RecurrentOutput out = recurrent_layer(cell_, seq, layers_[static_cast<size_t>(k)], layer_state(state.h),
                                          layer_state(state.c), false);
    seq = out.output;
    h_n.push_back(out.h_n);
    if (lstm) c_n.push_back(out.c_n);
  }
  RecurrentResult result;
  result.output = options_.batch_first ? transpose(seq, 0, 1) : seq;
  result.state.h = stack(h_n, 0);
  if (lstm) result.state.c = stack(c_n, 0);
  return result;
}

}  // namespace syn::nn
