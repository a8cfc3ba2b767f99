#pragma once
// The time loop of a recurrent layer whose recurrent matrix runs the sparse plan, in the
// feature-major layout of Note [Sparse products] (ops/recurrent.cpp calls it for batches > 1).
//
// Note [Feature-major recurrent loop]
// The sparse kernels want activations with the batch as the vector lane: (features, batch). Rather
// than transposing h_{t-1} and the gate pre-activations in and out at every time step (which costs
// more than the sparse product itself at high sparsity), the whole time loop of the sparse plan keeps
// its state feature-major. The batch is cut into fixed chunks of kColumns entries (fixed, so that
// results do not depend on the thread count: Note [Determinism]); chunk c of step t of an array with
// F features per batch entry is one contiguous (F, cols) block (FeatureMajor::block). A chunk's
// step is then one spmm over the CSR rows of W_hh into its (G·H, cols) gate block, and the gate
// kernels of RecurrentKernels run unchanged on the block as one row of hidden size H·cols: their
// gate blocks i, f, g, o (Note [Gate layouts]) are exactly the block's H-row slabs, and they are
// elementwise within a gate. Backward runs the same way with W_hh's CSC columns, and dW_hh is an
// SDDMM over the saved blocks (live positions only). Transposes happen once per layer call: the
// input projections in, the hidden states out, and the gate gradients back to batch-major for the
// input-side products.
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

// xp: (T, N, G·H) time-major input projections (b_ih, and b_hh except for gru, added)
// h0, c0: (N, H) or nullptr (zeros)   b_hh: (G·H) (gru)   w_hh: the recurrent matrix, CSR
// -> saved, and hs_out: (T + 1, N, H) time-major batch-major copy of h_0 .. h_T,
//    cs_last: (N, H) c_T (lstm) or nullptr.
void feature_major_forward(const RecurrentShape& s, const float* xp, const float* h0, const float* c0,
                           const float* b_hh, const SparseWeight& w_hh, FeatureMajorSaved& saved, float* hs_out,
                           float* cs_last);

// dy: (T, N, H) time-major gradient of the outputs, or nullptr   dh_n, dc_n: (N, H) or nullptr
// w_hh: with CSC values   ->  dxp: (T, N, G·H) time-major dL/d(input projections), written;
// dhp (gru): (T, N, G·H) dL/d(W_hh·h + b_hh), written; dh0, dc0: (N, H) or nullptr, written;
// dw_hh: (G·H, H) or nullptr, += at live positions only.
void feature_major_backward(const RecurrentShape& s, const FeatureMajorSaved& saved, const float* dy,
                            const float* dh_n, const float* dc_n, const SparseWeight& w_hh, float* dxp, float* dhp,
                            float* dh0, float* dc0, float* dw_hh);

}  // namespace syn::detail
