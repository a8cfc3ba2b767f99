#pragma once
// The element sparse kernels (Note [Sparse products]) written once as templates on the xsimd arch
// tag `A`, and the helpers the block kernels of sparse_block_impl.hpp share with them; the table is
// made in sparse_block_impl.hpp, which sparse_sse2.cpp, sparse_avx2.cpp and sparse_avx512.cpp
// instantiate (Note [Kernel dispatch]).
//
// - spmm: the batch is the vector lane. One output row's block of up to kSpmmVecs vectors stays in
//   registers while the row's live entries stream by (broadcast val, FMA with a load of an xt row);
//   one row at a time (interleaving two rows measured slower on AVX-512). Column blocks are the outer loop, so
//   the xt panel a block reads, (K, kSpmmVecs·lanes), stays in cache across the rows. The last
//   block's partial vector uses masked loads and stores: each lane sees the same operations.
// - sddmm: lanes-many live entries at a time, in order over the rows of [m0, m1) (rows mixed, so
//   only the range's last group has unused slots; they repeat a live entry and their sums are
//   dropped). Each entry's dot product over a tile of the batch goes into its own vector
//   accumulator, then one shuffle tree sums all of them (reduce_add_each). Tiling the batch by
//   kSddmmTile keeps the bt tile the rows share in cache; each tile's sums are added to w.
// - spmv: the sliced ELL form (Note [Mask index views]): each lane is one row of a 16-row slice, one
//   load of values, one lookup of x (a gather, or on AVX-512 with K <= 64 register permutes) and
//   one FMA per column of the slice; no horizontal sums.
// - transpose: 8 × 8 (4 × 4 on SSE2) register transposes inside 32 × 32 cache tiles.
// A row's result never depends on which rows share its group or block, so splitting [m0, m1)
// between threads changes nothing (Note [Determinism]).
#include <algorithm>
#include <type_traits>

#include "synapse/ops/kernels/sparse_kernels.hpp"
#include "synapse/ops/kernels/xsimd_compat.hpp"

namespace syn::kernels::simd {

inline constexpr int kSpmmVecs = 4;         // vectors of one output row held in registers
inline constexpr int kSddmmVecs = 4;        // vectors per entry and step of an sddmm dot product
inline constexpr int64_t kSddmmTile = 256;  // batch entries per sddmm tile (1 KiB of each bt row)

// Calls block(j, width, V, Tail) for consecutive column blocks of `len`: blocks of kVecs whole
// vectors, then one block of the V vectors left, the last of them `width` < lanes wide when Tail
// (V and Tail as std::integral_constant).
template <class A, int kVecs, int V = 1, class Block>
SYN_SIMD_INLINE void for_each_block(int64_t len, Block block, int64_t j = 0) {
  constexpr int64_t w = kLanes<A>;
  if constexpr (V == 1)
    for (; j + kVecs * w <= len; j += kVecs * w)
      block(j, w, std::integral_constant<int, kVecs>{}, std::false_type{});
  if constexpr (V <= kVecs) {
    const int64_t rest = len - j;
    if (rest == 0) return;
    if (rest == V * w) return block(j, w, std::integral_constant<int, V>{}, std::false_type{});
    if (rest < V * w) return block(j, rest - (V - 1) * w, std::integral_constant<int, V>{}, std::true_type{});
    for_each_block<A, kVecs, V + 1>(len, block, j);
  }
}

// V vectors from p, the last one `width` lanes wide (zero beyond) when Tail.
template <class A, int V, bool Tail>
SYN_SIMD_INLINE Vec<A> load_block(const float* p, int v, int64_t width) {
  return Tail && v == V - 1 ? load_first<A>(p + v * kLanes<A>, width) : load<A>(p + v * kLanes<A>);
}

// load_block's counterpart: V vectors to p, the last one `width` lanes wide when Tail.
template <class A, int V, bool Tail>
SYN_SIMD_INLINE void store_block(float* p, const Vec<A>* v, int64_t width) {
  for (int i = 0; i < V; ++i) {
    if (Tail && i == V - 1)
      store_first<A>(p + i * kLanes<A>, v[i], width);
    else
      simd::store<A>(p + i * kLanes<A>, v[i]);
  }
}

// Row m of yt, V vectors from column j (the last `width` wide when Tail):
// yt[m, j:] (+)= Σ_p val[p]·xt[idx[p], j:].
template <class A, int V, bool Tail>
SYN_SIMD_INLINE void spmm_block(int64_t m, int64_t j, int64_t width, const int32_t* ptr, const int32_t* idx,
                                const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy,
                                bool accumulate) {
  float* y = yt + m * ldy + j;
  Vec<A> acc[V];
  for (int v = 0; v < V; ++v) acc[v] = accumulate ? load_block<A, V, Tail>(y, v, width) : splat<A>(0.f);
  for (int32_t p = ptr[m]; p < ptr[m + 1]; ++p) {
    const Vec<A> a = splat<A>(val[p]);
    const float* x = xt + static_cast<int64_t>(idx[p]) * ldx + j;
    for (int v = 0; v < V; ++v) acc[v] = fma<A>(a, load_block<A, V, Tail>(x, v, width), acc[v]);
  }
  store_block<A, V, Tail>(y, acc, width);
}

// Compressed rows: ptr (M + 1), idx (nnz), val (nnz)   xt: (K, n)   yt: (M, n)
template <class A>
void spmm(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* val,
          const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  for_each_block<A, kSpmmVecs>(n, [&](int64_t j, int64_t width, auto vecs, auto tail) {
    constexpr int V = decltype(vecs)::value;
    constexpr bool Tail = decltype(tail)::value;
    for (int64_t m = m0; m < m1; ++m)
      spmm_block<A, V, Tail>(m, j, width, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
  });
}

// Compressed rows: ptr (M + 1), idx (nnz)   at: (M, n)   bt: (K, n)   w: (M, K)
template <class A>
void sddmm(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* at,
           int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  constexpr int lanes = static_cast<int>(kLanes<A>);
  if (m0 >= m1) return;
  const int32_t end = ptr[m1];
  for (int64_t j0 = 0; j0 < n; j0 += kSddmmTile) {
    const int64_t len = std::min(kSddmmTile, n - j0);
    int64_t m = m0;
    // Groups of `lanes` consecutive live entries, rows mixed; the last group's unused slots repeat
    // its last entry.
    for (int32_t p = ptr[m0]; p < end; p += lanes) {
      const int count = std::min(lanes, end - p);
      int64_t a_off[lanes], b_off[lanes], w_off[lanes];
      for (int e = 0; e < lanes; ++e) {
        const int32_t q = p + std::min(e, count - 1);
        while (ptr[m + 1] <= q) ++m;
        a_off[e] = m * lda + j0;
        b_off[e] = static_cast<int64_t>(idx[q]) * ldb + j0;
        w_off[e] = m * ldw + idx[q];
      }
      Vec<A> acc[lanes];
      for (int e = 0; e < lanes; ++e) acc[e] = splat<A>(0.f);
      for_each_block<A, kSddmmVecs>(len, [&](int64_t j, int64_t width, auto vecs, auto tail) {
        constexpr int V = decltype(vecs)::value;
        constexpr bool Tail = decltype(tail)::value;
#pragma GCC unroll 16
        for (int e = 0; e < lanes; ++e)
          for (int v = 0; v < V; ++v)
            acc[e] = fma<A>(load_block<A, V, Tail>(at + a_off[e] + j, v, width),
                            load_block<A, V, Tail>(bt + b_off[e] + j, v, width), acc[e]);
      });
      alignas(64) float sums[lanes];
      simd::store_aligned<A>(sums, reduce_add_each<A>(acc));
      for (int e = 0; e < count; ++e) w[w_off[e]] += sums[e];
    }
  }
}

// x[col[i]] for the lanes of one ELL column. On AVX-512 with K <= 64, x lives in four registers
// (xr) and the lookup is two two-register permutes and a blend instead of a gather.
template <class A>
SYN_SIMD_INLINE Vec<A> ell_lookup(const float* x, const int32_t* col, const Vec<A>* xr, bool in_registers) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    if (in_registers) {
      const __m512i i = _mm512_loadu_si512(col);
      const __m512 lo = _mm512_permutex2var_ps(xr[0], i, xr[1]);
      const __m512 hi = _mm512_permutex2var_ps(xr[2], i, xr[3]);
      return Vec<A>(_mm512_mask_blend_ps(_mm512_test_epi32_mask(i, _mm512_set1_epi32(32)), lo, hi));
    }
#endif
  }
  (void)xr;
  (void)in_registers;
  return gather<A>(x, col);
}

// Batch 1, sliced ELL   x: (K)   y: (M): each lane is one row of the slice.
template <class A>
void spmv(int64_t s0, int64_t s1, int64_t m, int64_t k, const int32_t* ptr, const int32_t* col, const float* val,
          const float* x, float* y, bool accumulate) {
  constexpr int64_t w = kLanes<A>, vecs = kEllRows / w;
  static_assert(kEllRows % w == 0, "an ELL slice is whole vectors");
  Vec<A> xr[4];
  const bool in_registers = kIsAvx512<A> && k <= 64;
  if (in_registers)
    for (int64_t q = 0; q < 4; ++q)
      xr[q] = k > q * w ? load_first<A>(x + q * w, static_cast<int>(std::min(w, k - q * w))) : splat<A>(0.f);
  for (int64_t s = s0; s < s1; ++s) {
    Vec<A> acc[vecs];
    for (int64_t v = 0; v < vecs; ++v) acc[v] = splat<A>(0.f);
    for (int32_t l = ptr[s]; l < ptr[s + 1]; ++l)
      for (int64_t v = 0; v < vecs; ++v) {
        const int64_t i = l * kEllRows + v * w;
        acc[v] = fma<A>(load<A>(val + i), ell_lookup<A>(x, col + i, xr, in_registers), acc[v]);
      }
    for (int64_t v = 0; v < vecs; ++v) {
      const int64_t r = s * kEllRows + v * w, rows = std::min(w, m - r);
      if (rows <= 0) break;
      Vec<A> out = acc[v];
      if (accumulate) out = load_first<A>(y + r, static_cast<int>(rows)) + out;
      store_first<A>(y + r, out, static_cast<int>(rows));
    }
  }
}

// src: (rows, cols) -> dst: (cols, rows), in 32 × 32 tiles of the vocabulary's square blocks
template <class A>
void transpose_tiled(int64_t rows, int64_t cols, const float* src, int64_t lds, float* dst, int64_t ldd) {
  constexpr int64_t b = kTransposeBlock<A>, tile = 32;
  const int64_t rows_b = rows - rows % b, cols_b = cols - cols % b;
  for (int64_t r0 = 0; r0 < rows_b; r0 += tile)
    for (int64_t c0 = 0; c0 < cols_b; c0 += tile) {
      const int64_t r1 = std::min(rows_b, r0 + tile), c1 = std::min(cols_b, c0 + tile);
      for (int64_t r = r0; r < r1; r += b)
        for (int64_t c = c0; c < c1; c += b) transpose_block<A>(src + r * lds + c, lds, dst + c * ldd + r, ldd);
    }
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = r < rows_b ? cols_b : 0; c < cols; ++c) dst[c * ldd + r] = src[r * lds + c];
}

}  // namespace syn::kernels::simd
