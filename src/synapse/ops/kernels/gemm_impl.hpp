#pragma once
// The register-tiled GEMM micro-kernel, the macro-kernel and the packing routines, written once as
// templates on the arch tag and instantiated by gemm_sse2.cpp / gemm_avx2.cpp /
// gemm_avx512.cpp (Note [Kernel dispatch], Note [GEMM blocking]). Included by those units only.
#include <cstdint>
#include <utility>

#include "synapse/ops/kernels/gemm_kernels.hpp"
#include "synapse/ops/kernels/xsimd_compat.hpp"

namespace syn::kernels::gemm_detail {

using simd::Vec;

// A micro-tile: C[0:MR, 0:n] = alpha * Σ_p A(i, p) B(p, j) + beta * C  (beta == 0: C not read).
// a: element (i, p) at a[i*a_stride + p] (ARows) or a[p*a_stride + i]; b: row p at b + p*b_stride,
// NV full vectors (zero-padded past n). (NV-1)*lanes < n <= NV*lanes; only columns < n of C are touched.
using TileFn = void (*)(int64_t kc, const float* a, int64_t a_stride, const float* b, int64_t b_stride,
                        float* c, int64_t ldc, int64_t n, float alpha, float beta);

template <class Arch, int MR, int NV, bool ARows>
void micro_tile(int64_t kc, const float* a, int64_t a_stride, const float* b, int64_t b_stride, float* c,
                int64_t ldc, int64_t n, float alpha, float beta) {
  using V = Vec<Arch>;
  constexpr int W = simd::kLanes<Arch>;
  V acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = simd::splat<Arch>(0.f);

#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) __builtin_prefetch(c + i * ldc, 1);

#pragma GCC unroll 2
  for (int64_t p = 0; p < kc; ++p) {
    V bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = simd::load<Arch>(b + v * W);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const V ai = simd::splat<Arch>(ARows ? a[i * a_stride] : a[i]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = simd::fma<Arch>(ai, bv[v], acc[i][v]);
    }
    a += ARows ? 1 : a_stride;
    b += b_stride;
  }

  // C update, unrolled like the accumulation so that acc stays in registers.
  if (alpha != 1.f) {  // alpha = 1 (the common case) saves a multiply per accumulator
    const V va = simd::splat<Arch>(alpha);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = acc[i][v] * va;
  }
  const V vb = simd::splat<Arch>(beta);
  const bool full = n == NV * W;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    float* ci = c + i * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      const V r = acc[i][v];
      if (full || v < NV - 1) {  // the padded columns are all in the last vector
        simd::store<Arch>(ci + v * W, beta == 0.f ? r : simd::fma<Arch>(vb, simd::load<Arch>(ci + v * W), r));
      } else {
        const int cnt = static_cast<int>(n - v * W);
        simd::store_first<Arch>(
            ci + v * W, beta == 0.f ? r : simd::fma<Arch>(vb, simd::load_first<Arch>(ci + v * W, cnt), r),
            cnt);
      }
    }
  }
}

// Every tile shape up to MR x NV vectors, indexed [a_rows][rows - 1][vectors - 1] (plain arrays of
// per-Arch function pointers: nothing here is shared between units built for different ISAs).
template <class Arch, int MR, int NV>
struct TileTable {
  TileFn fns[2][MR][NV] = {};
  constexpr TileTable() { fill(std::make_integer_sequence<int, MR * NV>{}); }
  template <int... I>
  constexpr void fill(std::integer_sequence<int, I...>) {
    ((fns[0][I / NV][I % NV] = &micro_tile<Arch, I / NV + 1, I % NV + 1, false>,
      fns[1][I / NV][I % NV] = &micro_tile<Arch, I / NV + 1, I % NV + 1, true>),
     ...);
  }
};
template <class Arch, int MR, int NV>
inline constexpr TileTable<Arch, MR, NV> kTiles{};

// Sweeps the register tiles of one cache block: for each A strip (kept in L1), every B strip of the
// panel (kept in L2), Note [GEMM blocking].
template <class Arch, int MR, int NV>
void block(const GemmBlock& blk) {
  constexpr int W = simd::kLanes<Arch>;
  constexpr int NR = NV * W;
  const auto& fns = kTiles<Arch, MR, NV>.fns[blk.a_rows ? 1 : 0];
  auto tile = [&](int64_t i, int64_t j) {
    const int64_t w = blk.nc - j < NR ? blk.nc - j : NR;
    const int nv = static_cast<int>((w + W - 1) / W);
    const int rows = blk.mc - i < MR ? static_cast<int>(blk.mc - i) : MR;
    const bool edge = w < NR && blk.b_edge != nullptr;
    fns[rows - 1][nv - 1](blk.kc, blk.a + (i / MR) * blk.a_strip_step, blk.a_stride,
                          edge ? blk.b_edge : blk.b + (j / NR) * blk.b_strip_step, edge ? NR : blk.b_stride,
                          blk.c + i * blk.ldc + j, blk.ldc, w, blk.alpha, blk.beta);
  };
  for (int64_t i = 0; i < blk.mc; i += MR)
    for (int64_t j = 0; j < blk.nc; j += NR) tile(i, j);
}

// op(A)[0:mc, 0:kc] -> strips of kc x MR.
template <class Arch, int MR>
void pack_a(bool trans, const float* a, int64_t lda, int64_t mc, int64_t kc, float* out) {
  for (int64_t i = 0; i < mc; i += MR, out += MR * kc) {
    const int64_t rows = mc - i < MR ? mc - i : MR;
    if (trans) {
      for (int64_t p = 0; p < kc; ++p)
        for (int64_t r = 0; r < rows; ++r) out[p * MR + r] = a[p * lda + i + r];
    } else {
      simd::transpose<Arch>(a + i * lda, lda, rows, kc, out, MR);
    }
  }
}

// op(B)[0:kc, 0:nc] -> strips of kc x NR, zero-padded to NR columns. op(B) = B is read row by row
// (each row once, in order, where the hardware prefetchers follow), every strip's row p written in
// turn; op(B) = Bᵀ strip by strip, by block transposes.
template <class Arch, int NV>
void pack_b(bool trans, const float* b, int64_t ldb, int64_t kc, int64_t nc, float* out) {
  constexpr int W = simd::kLanes<Arch>;
  constexpr int NR = NV * W;
  if (trans) {
    for (int64_t j = 0; j < nc; j += NR, out += NR * kc) {
      const int64_t w = nc - j < NR ? nc - j : NR;
      if (w < NR)
        for (int64_t p = 0; p < kc; ++p)
          for (int64_t c = w; c < NR; ++c) out[p * NR + c] = 0.f;
      simd::transpose<Arch>(b + j * ldb, ldb, w, kc, out, NR);
    }
    return;
  }
  const int64_t full = nc / NR * NR;
  for (int64_t p = 0; p < kc; ++p) {
    const float* src = b + p * ldb;
    float* dst = out + p * NR;
    for (int64_t j = 0; j < full; j += NR, dst += NR * kc) {
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) simd::store<Arch>(dst + v * W, simd::load<Arch>(src + j + v * W));
    }
    if (full < nc) {
      for (int v = 0; v < NV; ++v) {
        const int64_t left = nc - full - v * W;
        const int cnt = left <= 0 ? 0 : (left < W ? static_cast<int>(left) : W);
        simd::store<Arch>(dst + v * W, simd::load_first<Arch>(src + full + v * W, cnt));
      }
    }
  }
}

// The ISA's table.
template <class Arch, int MR, int NV>
constexpr GemmKernels make_gemm_kernels(Isa isa, int64_t kc) {
  return GemmKernels{isa, MR, NV * simd::kLanes<Arch>, kc, &pack_a<Arch, MR>, &pack_b<Arch, NV>, &block<Arch, MR, NV>};
}

}  // namespace syn::kernels::gemm_detail
