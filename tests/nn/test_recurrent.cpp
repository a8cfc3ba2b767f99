// The RNN / LSTM / GRU modules: torch's names, shapes and initialisation; state handling (initial
// state, continuation, detach for truncated BPTT); dropout between layers; errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/nn/gru.hpp"
#include "synapse/nn/lstm.hpp"
#include "synapse/nn/rnn.hpp"
#include "synapse/ops/operators.hpp"
#include "synapse/ops/reduce.hpp"
#include "synapse/ops/shape_ops.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
RecurrentOptions options(int64_t input, int64_t hidden, int64_t layers, float dropout = 0.f,
                         bool batch_first = true) {
  RecurrentOptions o;
  o.input_size = input;
  o.hidden_size = hidden;
  o.num_layers = layers;
  o.dropout = dropout;
  o.batch_first = batch_first;
  return o;
}

void check_close_vectors(const Tensor& a, const Tensor& b, float tol) {
  REQUIRE(a.shape() == b.shape());
  for (int64_t i = 0; i < a.numel(); ++i) CHECK(a.data()[i] == doctest::Approx(b.data()[i]).epsilon(tol));
}
}  // namespace

TEST_CASE("recurrent modules: torch's parameter names, order and shapes") {
  Generator gen(1);
  LSTM lstm(options(3, 8, 2), gen);
  const std::vector<std::pair<std::string, Shape>> expected = {
      {"weight_ih_l0", Shape{32, 3}}, {"weight_hh_l0", Shape{32, 8}}, {"bias_ih_l0", Shape{32}},
      {"bias_hh_l0", Shape{32}},      {"weight_ih_l1", Shape{32, 8}}, {"weight_hh_l1", Shape{32, 8}},
      {"bias_ih_l1", Shape{32}},      {"bias_hh_l1", Shape{32}}};
  const NamedTensors p = lstm.named_parameters();
  REQUIRE(p.size() == expected.size());
  for (size_t i = 0; i < p.size(); ++i) {
    CHECK(p[i].first == expected[i].first);
    CHECK(p[i].second.shape() == expected[i].second);
  }
  GRU gru(options(3, 8, 1), gen);
  CHECK(gru.layer(0).w_hh.shape() == Shape{24, 8});
  RNN rnn(options(3, 8, 1), gen, "relu");
  CHECK(rnn.cell() == RecurrentCell::rnn_relu);
  CHECK(rnn.layer(0).w_ih.shape() == Shape{8, 3});
  CHECK(lstm.num_parameters() == 32 * 3 + 32 * 8 * 3 + 32 * 4);
  CHECK_THROWS_AS(lstm.layer(2), IndexError);
}

TEST_CASE("recurrent modules: every parameter uniform in plus or minus 1/sqrt(hidden), as torch") {
  Generator gen(2);
  LSTM m(options(4, 25, 2), gen);
  for (const auto& [name, t] : m.named_parameters()) {
    CAPTURE(name);
    float max_abs = 0;
    double sum = 0;
    for (float v : t.to_vector()) {
      max_abs = std::max(max_abs, std::fabs(v));
      sum += v;
    }
    CHECK(max_abs <= 0.2f);
    CHECK(max_abs > 0.18f);
    CHECK(std::fabs(sum / t.numel()) < 0.05);
  }
}

TEST_CASE("recurrent modules: outputs, final state and batch_first") {
  Generator gen(3);
  for (const char* kind : {"rnn", "lstm", "gru"}) {
    CAPTURE(std::string(kind));
    Generator g1(4), g2(4);
    const std::string k = kind;
    auto make = [&](Generator& g, bool bf) -> std::unique_ptr<Recurrent> {
      if (k == "lstm") return std::make_unique<LSTM>(options(2, 6, 3, 0.f, bf), g);
      if (k == "gru") return std::make_unique<GRU>(options(2, 6, 3, 0.f, bf), g);
      return std::make_unique<RNN>(options(2, 6, 3, 0.f, bf), g);
    };
    auto bf = make(g1, true), tm = make(g2, false);
    const Tensor x = Tensor::randn(Shape{4, 5, 2}, gen);
    const RecurrentResult a = bf->forward(x), b = tm->forward(transpose(x, 0, 1));
    CHECK(a.output.shape() == Shape{4, 5, 6});
    CHECK(a.state.h.shape() == Shape{3, 4, 6});
    CHECK(a.state.c.defined() == (k == "lstm"));
    CHECK(a.output.to_vector() == transpose(b.output, 0, 1).to_vector());
    CHECK(a.state.h.to_vector() == b.state.h.to_vector());
    // The last layer's final state is the output's last step.
    CHECK(reshape(narrow(a.state.h, 0, 2, 1), {4, 6}).to_vector() ==
          reshape(narrow(a.output, 1, 4, 1), {4, 6}).to_vector());
  }
}

TEST_CASE("recurrent modules: a sequence in two chunks with the carried state equals one pass") {
  Generator gen(5);
  LSTM m(options(2, 7, 2), gen);
  const Tensor x = Tensor::randn(Shape{3, 8, 2}, gen);
  const RecurrentResult whole = m.forward(x);
  const RecurrentResult first = m.forward(narrow(x, 1, 0, 5));
  const RecurrentResult second = m.forward(narrow(x, 1, 5, 3), first.state);
  check_close_vectors(second.state.h, whole.state.h, 1e-6f);
  check_close_vectors(second.state.c, whole.state.c, 1e-6f);
  check_close_vectors(second.output, narrow(whole.output, 1, 5, 3), 1e-6f);
}

TEST_CASE("recurrent modules: detach cuts the carried state from the graph (truncated BPTT)") {
  Generator gen(6);
  GRU m(options(2, 5, 1), gen);
  Tensor x1 = Tensor::randn(Shape{2, 4, 2}, gen).set_requires_grad();
  Tensor x2 = Tensor::randn(Shape{2, 4, 2}, gen).set_requires_grad();
  const RecurrentResult first = m.forward(x1);
  const RecurrentState carried = first.state.detach();
  CHECK_FALSE(carried.h.requires_grad());
  CHECK_FALSE(carried.c.defined());
  CHECK(carried.h.to_vector() == first.state.h.to_vector());
  sum(m.forward(x2, carried).output).backward();
  CHECK(x2.grad().defined());
  CHECK_FALSE(x1.grad().defined());  // no gradient flowed into the first chunk
  CHECK(m.layer(0).w_hh.grad().defined());
}

TEST_CASE("recurrent modules: the initial state receives gradients") {
  Generator gen(7);
  LSTM m(options(2, 3, 2), gen);
  const Tensor x = Tensor::randn(Shape{2, 3, 2}, gen);
  Tensor h0 = Tensor::randn(Shape{2, 2, 3}, gen).set_requires_grad();
  Tensor c0 = Tensor::randn(Shape{2, 2, 3}, gen).set_requires_grad();
  syn::testing::check_gradients("lstm module state",
                                [&](auto& in) {
                                  const RecurrentResult r = m.forward(x, {in[0], in[1]});
                                  return r.output + reshape(narrow(r.state.c, 0, 1, 1), {2, 1, 3});
                                },
                                {h0, c0});
}

TEST_CASE("recurrent modules: dropout between layers only, only while training") {
  Generator gen(8);
  const Tensor x = Tensor::randn(Shape{4, 6, 3}, gen);
  Generator g1(9), g2(9);
  LSTM with(options(3, 16, 2, 0.5f), g1), without(options(3, 16, 2, 0.f), g2);
  with.eval();
  CHECK(with.forward(x).output.to_vector() == without.forward(x).output.to_vector());
  with.train();
  const std::vector<float> a = with.forward(x).output.to_vector(), b = with.forward(x).output.to_vector();
  CHECK(a != b);  // fresh masks per call
  CHECK(a != without.forward(x).output.to_vector());
  // With one layer there is nothing between layers: dropout has no effect.
  Generator g3(10), g4(10);
  GRU single(options(3, 4, 1, 0.5f), g3), plain(options(3, 4, 1, 0.f), g4);
  CHECK(single.forward(x).output.to_vector() == plain.forward(x).output.to_vector());
}

TEST_CASE("recurrent modules: bad options and inputs are typed errors naming the module") {
  Generator gen(11);
  CHECK_THROWS_AS(LSTM(options(0, 4, 1), gen), ValueError);
  CHECK_THROWS_AS(LSTM(options(2, 4, 0), gen), ValueError);
  CHECK_THROWS_AS(GRU(options(2, 4, 1, 1.f), gen), ValueError);
  CHECK_THROWS_WITH_AS(RNN(options(2, 4, 1), gen, "sigmoid"), doctest::Contains("sigmoid"), ValueError);
  LSTM m(options(2, 4, 2), gen);
  CHECK_THROWS_WITH_AS(m.forward(Tensor::zeros(Shape{3, 5, 4})), doctest::Contains("lstm: x (3, 5, 4)"),
                       ShapeError);
  CHECK_THROWS_AS(m.forward(Tensor::zeros(Shape{3, 5})), ShapeError);
  CHECK_THROWS_AS(m.forward(Tensor::zeros(Shape{3, 5, 2}), {Tensor::zeros(Shape{1, 3, 4}), Tensor()}),
                  ShapeError);
  GRU g(options(2, 4, 1), gen);
  CHECK_THROWS_AS(g.forward(Tensor::zeros(Shape{3, 5, 2}), {Tensor(), Tensor::zeros(Shape{1, 3, 4})}),
                  ValueError);
}
