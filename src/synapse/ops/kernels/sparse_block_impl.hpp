#pragma once
// The block sparse kernels (Note [Sparse products]) as templates on the xsimd arch tag `A`, over the
// block view of Note [Mask index views], and make_sparse_kernels, the family's table for one ISA.
//
// - bspmm: as spmm, the batch is the vector lane, but a block row's R output rows are one register
//   tile of R × V vectors: each live R×C block loads its C rows of xt once (V vectors each) and
//   multiplies each by R broadcast values, R·C FMAs per C·V loads and R·C broadcasts. Column blocks
//   of the batch are the outer loop, so the xt panel they read stays in cache across block rows.
// - bsddmm: each live block is a small dense product over the batch: R·C vector accumulators, R + C
//   loads per R·C FMAs at every vector step. Blocks smaller than a vector's lanes go G at a time
//   (G·R·C = lanes accumulators, blocks taken in order over the block rows, the last group's unused
//   slots repeating its last block and their sums dropped), so that one reduce_add_each sums a
//   group; the batch is tiled by kSddmmTile as in sddmm.
// A block row's result never depends on which block rows share its range or group (Note [Determinism]).
#include "synapse/ops/kernels/sparse_impl.hpp"

namespace syn::kernels::simd {

// Accumulator vectors a block kernel keeps in registers: 16 of AVX-512's 32, 8 of the 16 elsewhere.
template <class A>
inline constexpr int kBlockAccs = kIsAvx512<A> ? 16 : 8;

// Block row b of yt (rows b·R ..), V vectors from column j (the last `width` wide when Tail):
// yt[b·R + r, j:] (+)= Σ_p Σ_c val[(p·R + r)·C + c]·xt[idx[p]·C + c, j:].
template <class A, int R, int C, int V, bool Tail>
SYN_SIMD_INLINE void bspmm_block(int64_t b, int64_t j, int64_t width, const int32_t* ptr, const int32_t* idx,
                                 const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy,
                                 bool accumulate) {
  float* y = yt + b * R * ldy + j;
  Vec<A> acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v)
      acc[r][v] = accumulate ? load_block<A, V, Tail>(y + r * ldy, v, width) : splat<A>(0.f);
  for (int32_t p = ptr[b]; p < ptr[b + 1]; ++p) {
    const float* block = val + static_cast<int64_t>(p) * R * C;
    const float* x = xt + static_cast<int64_t>(idx[p]) * C * ldx + j;
    for (int c = 0; c < C; ++c) {
      Vec<A> xv[V];
      for (int v = 0; v < V; ++v) xv[v] = load_block<A, V, Tail>(x + c * ldx, v, width);
      for (int r = 0; r < R; ++r) {
        const Vec<A> a = splat<A>(block[r * C + c]);
        for (int v = 0; v < V; ++v) acc[r][v] = fma<A>(a, xv[v], acc[r][v]);
      }
    }
  }
  for (int r = 0; r < R; ++r) store_block<A, V, Tail>(y + r * ldy, acc[r], width);
}

// Block compressed rows of R×C blocks: ptr (M/R + 1), idx (blocks), val (blocks·R·C)   xt: (K, n)   yt: (M, n)
template <class A>
void bspmm(int64_t b0, int64_t b1, int64_t br, int64_t bc, int64_t n, const int32_t* ptr, const int32_t* idx,
           const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  with_block_shape(br, bc, [&](auto rows, auto cols) {
    constexpr int R = decltype(rows)::value, C = decltype(cols)::value;
    for_each_block<A, std::min(4, kBlockAccs<A> / R)>(n, [&](int64_t j, int64_t width, auto vecs, auto tail) {
      constexpr int V = decltype(vecs)::value;
      constexpr bool Tail = decltype(tail)::value;
      for (int64_t b = b0; b < b1; ++b)
        bspmm_block<A, R, C, V, Tail>(b, j, width, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
    });
  });
}

// Block compressed rows of R×C blocks: ptr (M/R + 1), idx (blocks)   at: (M, n)   bt: (K, n)   w: (M, K)
template <class A, int R, int C>
void bsddmm_shape(int64_t b0, int64_t b1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* at,
                  int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  constexpr int lanes = static_cast<int>(kLanes<A>);
  constexpr int G = std::max(1, lanes / (R * C)), kAccs = G * R * C;  // kAccs: a multiple of lanes
  static_assert(kAccs % lanes == 0, "a group's accumulators are whole reduce_add_each calls");
  if (b0 >= b1) return;
  const int32_t end = ptr[b1];
  for (int64_t j0 = 0; j0 < n; j0 += kSddmmTile) {
    const int64_t len = std::min(kSddmmTile, n - j0);
    int64_t b = b0;
    for (int32_t p = ptr[b0]; p < end; p += G) {
      const int count = std::min(G, end - p);
      const float* a[G];
      const float* x[G];
      int64_t w_off[G];
      for (int g = 0; g < G; ++g) {
        const int32_t q = p + std::min(g, count - 1);
        while (ptr[b + 1] <= q) ++b;
        a[g] = at + b * R * lda + j0;
        x[g] = bt + static_cast<int64_t>(idx[q]) * C * ldb + j0;
        w_off[g] = b * R * ldw + static_cast<int64_t>(idx[q]) * C;
      }
      Vec<A> acc[kAccs];
      for (int e = 0; e < kAccs; ++e) acc[e] = splat<A>(0.f);
      for_each_block<A, 1>(len, [&](int64_t j, int64_t width, auto, auto tail) {
        constexpr bool Tail = decltype(tail)::value;
        for (int g = 0; g < G; ++g) {
          Vec<A> av[R], xv[C];
          for (int r = 0; r < R; ++r) av[r] = load_block<A, 1, Tail>(a[g] + r * lda + j, 0, width);
          for (int c = 0; c < C; ++c) xv[c] = load_block<A, 1, Tail>(x[g] + c * ldb + j, 0, width);
          for (int r = 0; r < R; ++r)
            for (int c = 0; c < C; ++c) acc[(g * R + r) * C + c] = fma<A>(av[r], xv[c], acc[(g * R + r) * C + c]);
        }
      });
      alignas(64) float sums[kAccs];
      for (int e = 0; e < kAccs; e += lanes) simd::store_aligned<A>(sums + e, reduce_add_each<A>(acc + e));
      for (int g = 0; g < count; ++g)
        for (int r = 0; r < R; ++r) {  // the C sums of row r: one partial vector
          float* dst = w + w_off[g] + r * ldw;
          const float* src = sums + (g * R + r) * C;
          if constexpr (C == 1)
            *dst += *src;
          else
            store_first<A>(dst, load_first<A>(dst, C) + load_first<A>(src, C), C);
        }
    }
  }
}

template <class A>
void bsddmm(int64_t b0, int64_t b1, int64_t br, int64_t bc, int64_t n, const int32_t* ptr, const int32_t* idx,
            const float* at, int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  with_block_shape(br, bc, [&](auto rows, auto cols) {
    bsddmm_shape<A, decltype(rows)::value, decltype(cols)::value>(b0, b1, n, ptr, idx, at, lda, bt, ldb, w, ldw);
  });
}

template <class A>
SparseKernels make_sparse_kernels(Isa isa) {
  return SparseKernels{isa, spmm<A>, sddmm<A>, spmv<A>, bspmm<A>, bsddmm<A>, transpose_tiled<A>};
}

}  // namespace syn::kernels::simd
