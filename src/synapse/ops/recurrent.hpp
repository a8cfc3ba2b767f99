#pragma once
// Fused recurrent layers (one layer of torch.nn.RNN / LSTM / GRU, one direction): one tape node per
// layer, not per gate or per step.
//
// Note [Fused recurrent layer]
// Forward: ONE gemm projects the input of every time step (x·W_ihᵀ + biases, rows in time-major
// order); then each step runs ONE matrix product h_{t-1}·W_hhᵀ against W_hh packed once per call
// (Note [Packed recurrent weights]) and ONE fused gate kernel. Saved for backward: the activated gates
// (LSTM: i, f, g, o; GRU: r, z, n and W_hn·h + b_hn), the cell states (LSTM) and the hidden states
// h_0 .. h_T laid out contiguously, time-major. Backward: per step one fused gate-backward kernel and
// one product for dh_{t-1}; after the loop ONE gemm each for dW_hh = Σ_t dgates_tᵀ·h_{t-1} (over all
// N·T rows at once, thanks to the layout), dW_ih and dx, and blocked column sums for the biases.
// The time loop runs in parallel over chunks of batch rows, which are independent; every kernel
// computes a row the same way whatever chunk it is in, so results are bitwise identical for any
// thread count (Note [Determinism]).
#include "synapse/core/tensor.hpp"

namespace syn {

// The recurrence of one layer (torch's gate formulas, gates in torch's weight order):
//   rnn_tanh / rnn_relu: h' = act(W_ih x + b_ih + W_hh h + b_hh)
//   lstm: i, f, g, o = σ, σ, tanh, σ of (W_ih x + b_ih + W_hh h + b_hh); c' = f c + i g; h' = o tanh(c')
//   gru:  r, z = σ(W_i{r,z} x + b_i{r,z} + W_h{r,z} h + b_h{r,z});
//         n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); h' = (1 - z) n + z h
enum class RecurrentCell { rnn_tanh, rnn_relu, lstm, gru };

// Gate blocks per hidden unit: 1 (rnn), 4 (lstm), 3 (gru).
int64_t gate_count(RecurrentCell cell);
const char* cell_name(RecurrentCell cell);  // "rnn_tanh", "rnn_relu", "lstm", "gru"

struct RecurrentWeights {
  Tensor w_ih, w_hh, b_ih, b_hh;
};

struct RecurrentOutput {
  Tensor output;  // the hidden state of every step
  Tensor h_n;     // the final hidden state
  Tensor c_n;     // the final cell state (lstm), else undefined
};

// G = gate_count(cell), H = hidden size:
// x: (N, T, I) if batch_first else (T, N, I)   w_ih: (G·H, I)   w_hh: (G·H, H)   b_ih, b_hh: (G·H)
// h0: (N, H) or undefined (zeros)   c0: (N, H) or undefined (zeros), lstm only
// -> output: (N, T, H) if batch_first else (T, N, H)   h_n: (N, H)   c_n: (N, H) (lstm)
// Differentiable in every tensor argument. N, T, I and H must be positive.
RecurrentOutput recurrent_layer(RecurrentCell cell, const Tensor& x, const RecurrentWeights& weights,
                                const Tensor& h0 = Tensor(), const Tensor& c0 = Tensor(),
                                bool batch_first = true);

}  // namespace syn
