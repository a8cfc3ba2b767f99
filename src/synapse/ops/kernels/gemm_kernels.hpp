#pragma once
// GemmKernels: one instruction set's GEMM building blocks — packing routines and the macro-kernel
// that sweeps register tiles over one cache block — as plain function pointers. The driver in
// gemm.cpp (baseline code) does the blocking, the packing decisions and the threading.
//
// Note [GEMM blocking]
// C (m x n) is computed in the Goto/BLIS loop order: column blocks of nc, then depth blocks of kc
// (op(B)[kc x nc] packed into strips of kc x nr: the B panel, kept in L2), then row blocks of mc
// (op(A) read in place or packed into strips of kc x mr), then the macro-kernel: for each A strip
// (kept in L1), for each B strip of the panel, one register tile mr x nr accumulates over kc and
// updates C once (C = alpha*acc + beta*C on the first depth block, C += alpha*acc on the later ones).
// Each C element is a dot product over k in increasing order, block by block, so the result does
// not depend on mc, nc, on which tiles a thread owns or on packing: only on kc and the ISA.
// Hence kc is a constant of the ISA's table (256), never read from the machine: where each depth
// block ends decides where the accumulator is rounded into C, and results must be the same bits on
// every CPU with that ISA and for any thread count (Note [Determinism]). mc and nc only decide which
// tiles run in which order, so they follow this CPU's L2 (gemm_blocking(), from cache_sizes() read
// at run time; SYN_L2_BYTES emulates another CPU's): the B panel (kc x nc) takes half of L2 (512
// columns on a 1 MiB L2, 1024 on 2 MiB; at most 8192), the freshly packed A block (mc x kc) a
// quarter (256 or 512 rows; at most 2048), both rounded up to whole tiles, at least 4 of them.
// Each A strip is read once per block from L2 and then stays in L1 while the whole panel streams
// past it from L2; a panel larger than L2 would stream from L3 once per A strip. Whether op(A) is
// packed at all also follows L1 (its ways, pack_a_pays() in gemm.cpp); none of this changes a bit.
#include <cstdint>

#include "synapse/ops/kernels/kernel_registry.hpp"

namespace syn::kernels {

// One cache block for the macro-kernel.
// op(A) block (mc x kc): strip s (rows s*mr ...) starts at a + s*a_strip_step; inside a strip,
// element (i, p) is at a[i*a_stride + p] when a_rows, else at a[p*a_stride + i].
// op(B) block (kc x nc): strip s (columns s*nr ...) starts at b + s*b_strip_step, its row p at
// + p*b_stride, nr columns readable (packed by pack_b, or read in place when op(B) = B); a partial
// last strip is read from b_edge (packed, zero-padded) when that is set. C: (mc, nc), row stride ldc.
struct GemmBlock {
  int64_t mc = 0, nc = 0, kc = 0;
  const float* a = nullptr;
  int64_t a_stride = 0, a_strip_step = 0;
  bool a_rows = false;
  const float* b = nullptr;
  int64_t b_stride = 0, b_strip_step = 0;
  const float* b_edge = nullptr;
  float* c = nullptr;
  int64_t ldc = 0;
  float alpha = 1.f, beta = 0.f;
};

struct GemmKernels {
  Isa isa;
  int mr, nr;  // register tile
  int64_t kc;  // depth block, fixed per ISA (Note [GEMM blocking])
  // op(A)[0:mc, 0:kc] -> ceil(mc/mr) strips of kc x mr (for each p, mr consecutive rows).
  // trans: A is stored (kc, lda) and op(A) = Aᵀ; else (mc, lda).
  void (*pack_a)(bool trans, const float* a, int64_t lda, int64_t mc, int64_t kc, float* out);
  // op(B)[0:kc, 0:nc] -> ceil(nc/nr) strips of kc x nr, the last one zero-padded.
  // trans: B is stored (nc, ldb) and op(B) = Bᵀ; else (kc, ldb).
  void (*pack_b)(bool trans, const float* b, int64_t ldb, int64_t kc, int64_t nc, float* out);
  void (*block)(const GemmBlock& blk);
};

// The building blocks for `isa` (Note [Kernel dispatch]), or nullptr for Isa::scalar (gemm() runs a
// plain loop nest there) and for an ISA this CPU cannot run. gemm() uses gemm_kernels_for(kernel_isa()).
const GemmKernels* gemm_kernels_for(Isa isa);

}  // namespace syn::kernels
