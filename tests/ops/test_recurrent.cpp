// The fused recurrent layers (ops/recurrent.hpp): gradients of every input against a double-precision
// reference of torch's formulas, batch-first vs time-major, thread-count determinism, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/ops/recurrent.hpp"
#include "synapse/ops/shape_ops.hpp"

using namespace syn;
using namespace syn::testing;

namespace {

constexpr int64_t kN = 2, kT = 3, kI = 2, kH = 3;

double sig(double v) { return 1 / (1 + std::exp(-v)); }

// Double-precision reference of one layer, batch-first: inputs x, w_ih, w_hh, b_ih, b_hh, h0 [, c0]
// -> output (N, T, H), h_n, c_n (lstm) flattened one after another.
std::vector<double> reference_layer(RecurrentCell cell, const std::vector<std::vector<double>>& in, int64_t n,
                                    int64_t t_len, int64_t i_size, int64_t hid) {
  const auto &x = in[0], &wi = in[1], &wh = in[2], &bi = in[3], &bh = in[4];
  const int64_t g = gate_count(cell);
  std::vector<double> out(n * t_len * hid), h(in[5]),
      c(cell == RecurrentCell::lstm ? in[6] : std::vector<double>());
  for (int64_t b = 0; b < n; ++b) {
    std::vector<double> hb(h.begin() + b * hid, h.begin() + (b + 1) * hid), cb;
    if (cell == RecurrentCell::lstm) cb.assign(c.begin() + b * hid, c.begin() + (b + 1) * hid);
    for (int64_t t = 0; t < t_len; ++t) {
      std::vector<double> xp(g * hid), hp(g * hid);
      for (int64_t r = 0; r < g * hid; ++r) {
        xp[r] = bi[r];
        hp[r] = bh[r];
        for (int64_t k = 0; k < i_size; ++k) xp[r] += wi[r * i_size + k] * x[(b * t_len + t) * i_size + k];
        for (int64_t k = 0; k < hid; ++k) hp[r] += wh[r * hid + k] * hb[k];
      }
      std::vector<double> next(hid);
      for (int64_t j = 0; j < hid; ++j) {
        switch (cell) {
          case RecurrentCell::rnn_tanh:
            next[j] = std::tanh(xp[j] + hp[j]);
            break;
          case RecurrentCell::rnn_relu:
            next[j] = std::max(0.0, xp[j] + hp[j]);
            break;
          case RecurrentCell::lstm: {
            const double ig = sig(xp[j] + hp[j]), fg = sig(xp[hid + j] + hp[hid + j]);
            const double gg = std::tanh(xp[2 * hid + j] + hp[2 * hid + j]),
                         og = sig(xp[3 * hid + j] + hp[3 * hid + j]);
            cb[j] = fg * cb[j] + ig * gg;
            next[j] = og * std::tanh(cb[j]);
            break;
          }
          case RecurrentCell::gru: {
            const double rg = sig(xp[j] + hp[j]), zg = sig(xp[hid + j] + hp[hid + j]);
            const double ng = std::tanh(xp[2 * hid + j] + rg * hp[2 * hid + j]);
            next[j] = (1 - zg) * ng + zg * hb[j];
            break;
          }
        }
      }
      hb = next;
      for (int64_t j = 0; j < hid; ++j) out[(b * t_len + t) * hid + j] = hb[j];
    }
    for (int64_t j = 0; j < hid; ++j) h[b * hid + j] = hb[j];
    if (cell == RecurrentCell::lstm)
      for (int64_t j = 0; j < hid; ++j) c[b * hid + j] = cb[j];
  }
  out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), c.begin(), c.end());
  return out;
}

// The layer's outputs flattened and joined, so one projection checks all of them.
Tensor joined(const RecurrentOutput& r) {
  std::vector<Tensor> parts{reshape(r.output, {-1}), reshape(r.h_n, {-1})};
  if (r.c_n.defined()) parts.push_back(reshape(r.c_n, {-1}));
  return concat(parts, 0);
}

std::vector<Tensor> layer_inputs(RecurrentCell cell, int64_t n, int64_t t_len, int64_t i_size, int64_t hid,
                                 uint64_t seed) {
  const int64_t g = gate_count(cell);
  std::vector<Tensor> in = {random_input(Shape{n, t_len, i_size}, seed, -1.5f, 1.5f),
                            random_input(Shape{g * hid, i_size}, seed + 1, -0.8f, 0.8f),
                            random_input(Shape{g * hid, hid}, seed + 2, -0.8f, 0.8f),
                            random_input(Shape{g * hid}, seed + 3, -0.5f, 0.5f),
                            random_input(Shape{g * hid}, seed + 4, -0.5f, 0.5f),
                            random_input(Shape{n, hid}, seed + 5, -0.9f, 0.9f)};
  if (cell == RecurrentCell::lstm) in.push_back(random_input(Shape{n, hid}, seed + 6, -0.9f, 0.9f));
  return in;
}

RecurrentOutput run(RecurrentCell cell, const std::vector<Tensor>& in, bool batch_first = true) {
  const Tensor c0 = cell == RecurrentCell::lstm ? in[6] : Tensor();
  return recurrent_layer(cell, in[0], {in[1], in[2], in[3], in[4]}, in[5], c0, batch_first);
}

const RecurrentCell kCells[] = {RecurrentCell::rnn_tanh, RecurrentCell::rnn_relu, RecurrentCell::lstm,
                                RecurrentCell::gru};

}  // namespace

TEST_CASE("recurrent: gradients of every input against a double-precision reference") {
  for (RecurrentCell cell : kCells) {
    CAPTURE(std::string(cell_name(cell)));
    GradcheckOptions o;
    o.atol = 1e-4;
    o.rtol = 1e-3;
    o.reference = [cell](const auto& in) { return reference_layer(cell, in, kN, kT, kI, kH); };
    check_gradients(
        cell_name(cell), [cell](auto& in) { return joined(run(cell, in)); },
        layer_inputs(cell, kN, kT, kI, kH, 10), o);
  }
}

TEST_CASE("recurrent: float central differences agree, hidden size past a vector width") {
  // H = 19 exercises the vector tails of the gate kernels and a partial matmul panel.
  for (RecurrentCell cell : {RecurrentCell::lstm, RecurrentCell::gru}) {
    CAPTURE(std::string(cell_name(cell)));
    GradcheckOptions o;
    o.reference = [cell](const auto& in) { return reference_layer(cell, in, 3, 2, 2, 19); };
    o.atol = 1e-4;
    o.rtol = 1e-3;
    check_gradients(
        cell_name(cell), [cell](auto& in) { return joined(run(cell, in)); },
        layer_inputs(cell, 3, 2, 2, 19, 20), o);
  }
}

TEST_CASE("recurrent: zero initial state equals explicit zeros, and only lstm takes c0") {
  for (RecurrentCell cell : kCells) {
    CAPTURE(std::string(cell_name(cell)));
    std::vector<Tensor> in = layer_inputs(cell, kN, kT, kI, kH, 30);
    const RecurrentOutput implicit = recurrent_layer(cell, in[0], {in[1], in[2], in[3], in[4]});
    in[5] = Tensor::zeros(Shape{kN, kH});
    if (cell == RecurrentCell::lstm) in[6] = Tensor::zeros(Shape{kN, kH});
    const RecurrentOutput explicit_zeros = run(cell, in);
    CHECK(implicit.output.to_vector() == explicit_zeros.output.to_vector());
    CHECK(implicit.h_n.to_vector() == explicit_zeros.h_n.to_vector());
    CHECK(implicit.c_n.defined() == (cell == RecurrentCell::lstm));
  }
}

TEST_CASE("recurrent: time-major input gives the transposed batch-first results and gradients") {
  for (RecurrentCell cell : kCells) {
    CAPTURE(std::string(cell_name(cell)));
    const std::vector<Tensor> in = layer_inputs(cell, 3, 4, 2, 5, 40);
    check_gradients(std::string(cell_name(cell)) + "/time-major",
                    [cell](auto& v) {
                      std::vector<Tensor> tm = v;
                      tm[0] = transpose(v[0], 0, 1);
                      RecurrentOutput r = run(cell, tm, false);
                      r.output = transpose(r.output, 0, 1);
                      return joined(r);
                    },
                    in, {.atol = 1e-4, .rtol = 1e-3, .reference = [cell](const auto& v) {
                           return reference_layer(cell, v, 3, 4, 2, 5);
                         }});
  }
}

TEST_CASE("recurrent: 1 and 2 threads give bitwise-identical results") {
  for (RecurrentCell cell : kCells) {
    CAPTURE(std::string(cell_name(cell)));
    // 17 batch rows: the threads' chunks start inside a micro-kernel row block.
    check_thread_determinism(
        cell_name(cell), [cell](auto& in) { return joined(run(cell, in)); },
        layer_inputs(cell, 17, 5, 3, 20, 50));
  }
}

TEST_CASE("recurrent: NaN in the input propagates to the outputs of its batch row only") {
  std::vector<Tensor> in = layer_inputs(RecurrentCell::lstm, kN, kT, kI, kH, 60);
  in[0] = in[0].detach().clone();
  in[0].mutable_data()[0] = NAN;  // batch row 0, step 0
  const RecurrentOutput r = run(RecurrentCell::lstm, in);
  for (int64_t j = 0; j < kH; ++j) {
    CHECK(std::isnan(r.h_n.at({0, j})));
    CHECK(std::isnan(r.c_n.at({0, j})));
    CHECK(std::isfinite(r.h_n.at({1, j})));
  }
}

TEST_CASE("recurrent: a saved tensor modified in place is refused in backward") {
  std::vector<Tensor> in = layer_inputs(RecurrentCell::gru, kN, kT, kI, kH, 70);
  Tensor w_hh = in[2].detach().clone().set_requires_grad();
  Tensor x = in[0].detach().clone();
  const RecurrentOutput r = recurrent_layer(RecurrentCell::gru, x, {in[1], w_hh, in[3], in[4]});
  w_hh.mutable_data()[0] += 1.f;
  CHECK_THROWS_AS(r.h_n.backward(Tensor::ones(r.h_n.shape())), AutogradError);
  // The time-major output is a view of the saved hidden states: writing to it is caught too.
  const RecurrentOutput tm = recurrent_layer(RecurrentCell::gru, transpose(x, 0, 1),
                                             {in[1], in[2], in[3], in[4]}, Tensor(), Tensor(), false);
  tm.output.detach().mutable_data()[0] = 0.f;
  CHECK_THROWS_AS(tm.h_n.backward(Tensor::ones(tm.h_n.shape())), AutogradError);
}

TEST_CASE("recurrent: shape errors name the op and the shapes") {
  const std::vector<Tensor> in = layer_inputs(RecurrentCell::lstm, kN, kT, kI, kH, 80);
  const RecurrentWeights w{in[1], in[2], in[3], in[4]};
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::lstm, Tensor::zeros(Shape{kN, kI}), w), ShapeError);
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::lstm, Tensor::zeros(Shape{kN, kT, kI + 1}), w), ShapeError);
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::gru, in[0], w), ShapeError);  // 4H rows, not 3H
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::lstm, in[0], {in[1], in[2], in[4], Tensor::zeros(Shape{3})}),
                  ShapeError);
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::lstm, in[0], w, Tensor::zeros(Shape{kN + 1, kH})),
                  ShapeError);
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::lstm, Tensor::zeros(Shape{kN, 0, kI}), w), ShapeError);
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::lstm, in[0], {in[1], Tensor(), in[3], in[4]}), ValueError);
  const std::vector<Tensor> g = layer_inputs(RecurrentCell::gru, kN, kT, kI, kH, 81);
  CHECK_THROWS_AS(recurrent_layer(RecurrentCell::gru, g[0], {g[1], g[2], g[3], g[4]}, g[5], g[5]),
                  ValueError);
  try {
    recurrent_layer(RecurrentCell::lstm, in[0], {in[2], in[2], in[3], in[4]});
    FAIL("no error");
  } catch (const ShapeError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("lstm") != std::string::npos);
    CHECK(msg.find("(12, 3)") != std::string::npos);
  }
}
