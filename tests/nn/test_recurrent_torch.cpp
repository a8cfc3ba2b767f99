// Linear, the recurrent stacks and the recurrent forecasters against PyTorch (fixtures from
// tools/fixtures/make_recurrent_fixtures.py): torch's parameters are loaded with load_state_dict, then
// outputs (1e-5 relative) and the gradients of every parameter and input (1e-4 relative) are compared.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <string>

#include "support/fixture.hpp"
#include "synapse/nn/gru.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/lstm.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/nn/rnn.hpp"
#include "synapse/ops/operators.hpp"
#include "synapse/ops/reduce.hpp"

using namespace syn;
using namespace syn::nn;
using namespace syn::testing;

namespace {

constexpr double kForwardRtol = 1e-5, kForwardAtol = 1e-6, kGradRtol = 1e-4, kGradAtol = 1e-5;

// Name -> output; the inputs are the fixture tensors named in `inputs`, as leaves requiring grad.
using Outputs = std::map<std::string, Tensor>;
using Forward = std::function<Outputs(std::map<std::string, Tensor>&)>;

// Loads torch's parameters into `m`, runs `forward`, and compares outputs and the gradients of
// sum over outputs of sum(output * seed) for every parameter and input.
void check_module(const std::string& name, Module& m, const std::vector<std::string>& inputs,
                  const Forward& forward) {
  CAPTURE(name);
  Fixture fx = load_fixture("recurrent/" + name + ".txt");
  StateDict state;
  for (const auto& [key, _] : m.state_dict()) {
    REQUIRE_MESSAGE(fx.count(key), name << ": fixture has no parameter " << key);
    state.emplace_back(key, fx[key]);
  }
  m.load_state_dict(state);
  std::map<std::string, Tensor> leaves;
  for (const auto& in : inputs) leaves[in] = fx.at(in).clone().set_requires_grad();
  const Outputs outs = forward(leaves);
  Tensor loss;
  for (const auto& [key, out] : outs) {
    REQUIRE_MESSAGE(fx.count(key), name << ": fixture has no output " << key);
    check_close(name + " " + key, out, fx[key], kForwardRtol, kForwardAtol);
    const Tensor term = sum(out * fx.at("seed:" + key));
    loss = loss.defined() ? loss + term : term;
  }
  loss.backward();
  for (const auto& [key, p] : m.named_parameters())
    check_close(name + " d/d" + key, p.grad(), fx.at("grad:" + key), kGradRtol, kGradAtol);
  for (const auto& [key, leaf] : leaves)
    check_close(name + " d/d" + key, leaf.grad(), fx.at("grad:" + key), kGradRtol, kGradAtol);
}

RecurrentOptions stack_options(int64_t input, int64_t hidden) {
  RecurrentOptions o;
  o.input_size = input;
  o.hidden_size = hidden;
  o.num_layers = 2;
  return o;
}

Outputs stack_forward(Recurrent& m, std::map<std::string, Tensor>& in) {
  RecurrentState state{in.at("h0"), in.count("c0") ? in.at("c0") : Tensor()};
  RecurrentResult r = m.forward(in.at("x"), state);
  Outputs out{{"out", r.output}, {"h_n", r.state.h}};
  if (r.state.c.defined()) out["c_n"] = r.state.c;
  return out;
}

void check_forecaster(const std::string& name, const std::string& kind) {
  ModelConfig c;
  c.kind = kind;
  c.input_size = 2;
  c.lookback = 6;
  c.hidden_size = 4;
  c.num_layers = 2;
  c.horizon = 3;
  RecurrentForecaster m(c);
  check_module(name, m, {"x"}, [&](auto& in) { return Outputs{{"out", m.forward(in.at("x"))}}; });
}

}  // namespace

TEST_CASE("torch recurrent: Linear") {
  Generator gen(1);
  Linear m(4, 5, gen);
  check_module("linear", m, {"x"}, [&](auto& in) { return Outputs{{"out", m.forward(in.at("x"))}}; });
}

TEST_CASE("torch recurrent: RNN tanh and relu, 2 layers, initial state") {
  Generator gen(2);
  RNN tanh_rnn(stack_options(3, 5), gen, "tanh");
  check_module("rnn_tanh", tanh_rnn, {"x", "h0"}, [&](auto& in) { return stack_forward(tanh_rnn, in); });
  RNN relu_rnn(stack_options(3, 5), gen, "relu");
  check_module("rnn_relu", relu_rnn, {"x", "h0"}, [&](auto& in) { return stack_forward(relu_rnn, in); });
}

TEST_CASE("torch recurrent: LSTM, 2 layers, initial state") {
  Generator gen(3);
  LSTM m(stack_options(3, 5), gen);
  check_module("lstm", m, {"x", "h0", "c0"}, [&](auto& in) { return stack_forward(m, in); });
  LSTM wide(stack_options(2, 19), gen);
  check_module("lstm_h19", wide, {"x", "h0", "c0"}, [&](auto& in) { return stack_forward(wide, in); });
}

TEST_CASE("torch recurrent: GRU, 2 layers, initial state") {
  Generator gen(4);
  GRU m(stack_options(3, 5), gen);
  check_module("gru", m, {"x", "h0"}, [&](auto& in) { return stack_forward(m, in); });
}

TEST_CASE("torch recurrent: the LSTM, RNN and GRU forecasters of the peer workload") {
  check_forecaster("forecaster_lstm", "lstm");
  check_forecaster("forecaster_rnn", "rnn");
  check_forecaster("forecaster_gru", "gru");
}
