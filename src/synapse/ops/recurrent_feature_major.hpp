#pragma once
// The time loop of a recurrent layer whose recurrent matrix runs the sparse or block plan, in the
// feature-major layout of Note [Sparse products] (ops/recurrent.cpp calls it for batches > 1).
//
// Note [Feature-major recurrent loop]
// The sparse kernels want activations with the batch as the vector lane: (features, batch). Rather
// than transposing h_{t-1} and the gate pre-activations in and out at every time step (which costs
// more than the sparse product itself at high sparsity), the whole time loop of the sparse plan keeps
// its state feature-major. The batch is cut into fixed chunks of kColumns entries (fixed, so that
// results do not depend on the thread count: Note [Determinism]); chunk c of step t of an array with
// F features per batch entry is one contiguous (F, cols) block (FeatureMajor::block). A chunk's
// step is then one spmm over the CSR rows of W_hh (its BSR blocks under the block plan, Note [Sparse
// plans]; SparseWeight::spmm picks the kernel) into its (G·H, cols) gate block, and the gate
// kernels of RecurrentKernels run unchanged on the block as one row of hidden size H·cols: their
// gate blocks i, f, g, o (Note [Gate layouts]) are exactly the block's H-row slabs, and they are
// elementwise within a gate. Backward runs the same way with W_hh's CSC columns, and dW_hh is an
// SDDMM over the saved blocks (live positions only). When W_ih runs the sparse plan too, the input
// projection joins the loop (FeatureMajorInput): each step's block starts from the biases, adds the
// spmm of W_ih with the step's input block and then W_hh's, and backward takes dW_ih (SDDMM), dx
// (spmm over W_ih's CSC columns) and the bias gradients (row sums) from the blocks as well. Then the
// only transposes are x in and h out (and their gradients), I + H floats per batch entry and step;
// otherwise the dense input projection's G·H floats go in, and the gate gradients come back out.
#include <cstdint>

#include "synapse/ops/recurrent.hpp"
#include "synapse/ops/scratch.hpp"
#include "synapse/ops/sparse_weight.hpp"

namespace syn::detail {

struct FeatureMajor {
  static constexpr int64_t kColumns = 32;  // batch entries per chunk
  int64_t n = 0;                           // batch size
  int64_t chunks() const { return (n + kColumns - 1) / kColumns; }
  int64_t begin(int64_t c) const { return c * kColumns; }
  int64_t cols(int64_t c) const { return std::min(kColumns, n - c * kColumns); }
  // Offset of chunk c's (f, cols(c)) block of step t in an array of f features per entry and step.
  int64_t block(int64_t t, int64_t c, int64_t f) const { return t * f * n + f * begin(c); }
};

// What the feature-major loop saves for backward; every array is FeatureMajor-blocked.
struct FeatureMajorSaved {
  Scratch hs;     // (T + 1) steps of H: h_0 .. h_T
  Scratch cs;     // lstm: (T + 1) steps of H: c_0 .. c_T
  Scratch gates;  // lstm: T steps of 4H activated gates; gru: T steps of 4H (r, z, n, W_hn·h + b_hn);
                  // rnn: unused
};

struct RecurrentShape {
  RecurrentCell cell;
  int64_t n, t, hidden, gates;  // gates = G·H
};

// The input projection inside the loop (W_ih under the sparse plan).
struct FeatureMajorInput {
  const float* x_tm = nullptr;         // (T, N, I) time-major input
  int64_t in = 0;                      // I
  const SparseWeight* w_ih = nullptr;  // (G·H, I); CSC values needed for dx
  const float* bias = nullptr;         // (G·H): b_ih + b_hh (b_ih alone for gru)
};

// Gradients of the input side when FeatureMajorInput was used; each pointer may be null.
struct FeatureMajorInputGrads {
  float* dw_ih = nullptr;  // (G·H, I), += at live positions only
  float* db_ih = nullptr;  // (G·H), +=
  float* db_hh = nullptr;  // (G·H), +=
  float* dx_tm = nullptr;  // (T, N, I) time-major, written
};

// Either xp: (T, N, G·H) time-major input projections (b_ih, and b_hh except for gru, added) or
// input (xp null), the projection done inside the loop.
// h0, c0: (N, H) or nullptr (zeros)   b_hh: (G·H) (gru)   w_hh: the recurrent matrix, CSR
// -> saved, and hs_out: (T + 1, N, H) time-major batch-major copy of h_0 .. h_T,
//    cs_last: (N, H) c_T (lstm) or nullptr.
void feature_major_forward(const RecurrentShape& s, const float* xp, const FeatureMajorInput* input,
                           const float* h0, const float* c0, const float* b_hh, const SparseWeight& w_hh,
                           FeatureMajorSaved& saved, float* hs_out, float* cs_last);

// hs_tm: (T + 1, N, H) the forward's hs_out   dy: (T, N, H) time-major gradient of the outputs, or nullptr   dh_n, dc_n: (N, H) or nullptr
// w_hh: with CSC values   ->  dh0, dc0: (N, H) or nullptr, written; dw_hh: (G·H, H) or nullptr, += at
// live positions only; and either (input null) dxp: (T, N, G·H) time-major dL/d(input projections)
// and dhp (gru): (T, N, G·H) dL/d(W_hh·h + b_hh), written, or (input given) input_grads.
void feature_major_backward(const RecurrentShape& s, const FeatureMajorSaved& saved, const float* hs_tm,
                            const float* dy, const float* dh_n, const float* dc_n, const SparseWeight& w_hh,
                            float* dh0, float* dc0, float* dw_hh, float* dxp, float* dhp,
                            const FeatureMajorInput* input, const FeatureMajorInputGrads& input_grads);

}  // namespace syn::detail
