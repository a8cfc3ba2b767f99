#pragma once
// Fused scaled-dot-product attention kernels over `heads` independent heads, each row-major:
// q: (heads, tq, d)  k: (heads, tk, d)  v: (heads, tk, dv)  o: (heads, tq, dv)  lse: (heads, tq)
//   o = softmax(q·kᵀ·scale + mask)·v, mask = -inf above the diagonal (key j > query i) when causal.
//
// Note [Fused attention]
// Per head, queries go in blocks of kQueryBlock and keys in blocks of kKeyBlock. The forward pass
// keeps a running maximum m and sum l per query row (online softmax): for each key block,
// m' = max(m, rowmax S), O = O·e^(m - m') + e^(S - m')·V, l = l·e^(m - m') + rowsum e^(S - m'), so
// the (tq, tk) score matrix never exists beyond one block; it stores lse = m + log l per row. The
// backward pass recomputes each block's probabilities P = e^(S·scale - lse) instead of storing
// them, and accumulates dV += Pᵀ·dO, dS = P⊙(dP - D)·scale with dP = dO·Vᵀ and D = rowsum(dO⊙O),
// dQ += dS·K, dK += dSᵀ·Q. Products run with key-lane vectors (S, dP, dKᵀ, dVᵀ) or d-lane vectors
// (O, dQ) so that nothing needs a horizontal reduction; key blocks entirely above the diagonal are
// skipped. Heads are independent: callers split them across threads (Note [Determinism]).
//
// Kernels take raw pointers and never allocate: the caller passes `workspace` of workspace(dims)
// floats per call (one call may cover many heads). forward writes o and lse; backward, like every
// backward kernel (Note [Kernel contract]), accumulates: dq += ..., dk += ..., dv += ....
#include <cstddef>
#include <cstdint>

#include "synapse/ops/kernels/kernel_registry.hpp"

namespace syn::kernels {

struct AttentionDims {
  int64_t tq = 0, tk = 0, d = 0, dv = 0;  // tq >= 0, tk >= 1, d >= 1, dv >= 1
  float scale = 1.f;
  bool causal = false;
};

struct AttentionKernels {
  Isa isa;
  size_t (*workspace)(const AttentionDims& dims);
  void (*forward)(const AttentionDims& dims, int64_t heads, const float* q, const float* k, const float* v,
                  float* o, float* lse, float* workspace);
  // Accumulates into dq, dk, dv; any of them may be nullptr (that gradient is not computed).
  void (*backward)(const AttentionDims& dims, int64_t heads, const float* q, const float* k, const float* v,
                   const float* o, const float* dout, const float* lse, float* dq, float* dk, float* dv,
                   float* workspace);
};

// The kernels of `isa` (Isa::scalar included), or nullptr if this CPU cannot run it; and those of
// kernel_isa(), chosen once (Note [Kernel dispatch]).
const AttentionKernels* attention_kernels_for(Isa isa);
const AttentionKernels& attention_kernels();

}  // namespace syn::kernels
