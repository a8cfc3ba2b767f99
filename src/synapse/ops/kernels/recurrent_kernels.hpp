#pragma once
// RecurrentKernels: the per-time-step kernels of the fused RNN / LSTM / GRU layers (ops/recurrent.hpp)
// for one instruction set: the recurrent matrix product against weights packed once per layer call,
// and the fused gate nonlinearities, forward and backward. Raw pointers and sizes only (Note [Kernel
// contract]); rows are batch entries, all matrices are row-major and contiguous.
//
// Note [Packed recurrent weights]
// A recurrent layer multiplies by the same matrix at every time step (W_hhᵀ forward, W_hh backward),
// so the matrix is packed once per layer call into column panels of `panel` columns (a multiple of
// the table's `block`): panel q holds columns q·panel .. q·panel + panel - 1 of B (k, n) as k
// consecutive rows of `panel` floats, the columns past n zero. A micro-kernel keeps a few rows of C
// times a `block`-wide strip in registers while the rows of A are broadcast against the strip. With
// panel = block, the strip is contiguous and stays in L1 while every row block passes over it (the
// layout for many rows); with one panel as wide as B, B is one sequential stream, which is faster when
// there are only a few rows (batch-1 inference), since B is then read once per step from L2. Every
// element of C is computed as c, then c += a[p]·b[p] for p = 0, 1, ..., k-1 in order (one FMA per
// term in the vector tables, a rounded product and add in the scalar reference), whatever the panel
// width and however rows are grouped, so results do not depend on the layout or on how callers split
// the rows between threads (Note [Determinism]).
//
// Note [Gate layouts]
// Gate blocks follow torch's weight order. LSTM: gates (rows, 4H) = i, f, g, o; GRU: projections
// (rows, 3H) = r, z, n and saved gates (rows, 4H) = r, z, n, W_hn·h + b_hn (the last is what the
// reset gate multiplied, needed for dr). H is the hidden size.
#include <cstdint>

#include "synapse/ops/kernels/kernel_registry.hpp"

namespace syn::kernels {

struct RecurrentKernels {
  Isa isa;
  // Panel widths are multiples of `block` columns (Note [Packed recurrent weights]).
  int64_t block;

  // a: (m, k) with row stride lda  b: (k, n) packed in panels of `panel` columns
  // c: (m, n) with row stride ldc;  c += a·b
  void (*matmul_packed)(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b_packed,
                        int64_t panel, float* c, int64_t ldc);

  // gates: (rows, 4H) pre-activations i, f, g, o, overwritten with σ(i), σ(f), tanh(g), σ(o)
  // c_prev, c, h: (rows, H);  c = f·c_prev + i·g,  h = o·tanh(c)
  void (*lstm_cell)(int64_t rows, int64_t hidden, float* gates, const float* c_prev, float* c, float* h);
  // gates: (rows, 4H) activated  c_prev, c, dh: (rows, H)  dc: (rows, H), dL/dc_t in, dL/dc_{t-1} out
  // dgates: (rows, 4H) = dL/d(pre-activations), written
  void (*lstm_cell_backward)(int64_t rows, int64_t hidden, const float* gates, const float* c_prev,
                             const float* c, const float* dh, float* dc, float* dgates);

  // xp: (rows, 3H) = x·W_ihᵀ + b_ih  hp: (rows, 3H) = h_prev·W_hhᵀ + b_hh  h_prev, h: (rows, H)
  // gates: (rows, 4H) = r, z, n, hp_n written;  r = σ(xp_r + hp_r), z = σ(xp_z + hp_z),
  // n = tanh(xp_n + r·hp_n),  h = n + z·(h_prev - n)
  void (*gru_cell)(int64_t rows, int64_t hidden, const float* xp, const float* hp, const float* h_prev,
                   float* gates, float* h);
  // gates: (rows, 4H)  h_prev, dh: (rows, H) -> dxp, dhp: (rows, 3H) = dL/dxp, dL/dhp, written;
  // dh_prev: (rows, H) = dh·z, written (the direct part of dL/dh_prev)
  void (*gru_cell_backward)(int64_t rows, int64_t hidden, const float* gates, const float* h_prev,
                            const float* dh, float* dxp, float* dhp, float* dh_prev);

  // pre, h: (n) elements;  h = tanh(pre) / relu(pre)
  void (*rnn_tanh_cell)(int64_t n, const float* pre, float* h);
  void (*rnn_relu_cell)(int64_t n, const float* pre, float* h);
  // h, dh, dpre: (n);  dpre = dh·(1 - h²) / dh·[h > 0], written
  void (*rnn_tanh_cell_backward)(int64_t n, const float* h, const float* dh, float* dpre);
  void (*rnn_relu_cell_backward)(int64_t n, const float* h, const float* dh, float* dpre);
};

// The table for `isa` (Isa::scalar: the plain-loop reference, the test oracle; sse2 has no table of
// its own and gets scalar's), or nullptr if this CPU cannot run it; and the table the recurrent ops
// use, that of kernel_isa(), chosen once (Note [Kernel dispatch]).
const RecurrentKernels* recurrent_kernels_for(Isa isa);
const RecurrentKernels& recurrent_kernels();

// b: (k, n), element (p, j) at b[p·ldb + j], or b[j·ldb + p] when transposed -> packed:
// (ceil(n / panel)·panel·k) floats (Note [Packed recurrent weights]).
int64_t packed_size(int64_t k, int64_t n, int64_t panel);
void pack_panels(int64_t k, int64_t n, const float* b, int64_t ldb, bool transposed, int64_t panel,
                 float* packed);

}  // namespace syn::kernels
