#pragma once
// The sparse kernels (Note [Sparse products]) written once as templates on the xsimd arch tag `A`,
// instantiated by sparse_sse2.cpp, sparse_avx2.cpp and sparse_avx512.cpp (Note [Kernel dispatch]).
//
// - spmm: the batch is the vector lane. One output row's block of up to kSpmmVecs vectors stays in
//   registers while the row's live entries stream by (broadcast val, FMA with a load of an xt row);
//   two rows at a time give twice the independent FMA chains. Column blocks are the outer loop, so
//   the xt panel a block reads, (K, kSpmmVecs·lanes), stays in cache across the rows. The last
//   block's partial vector uses masked loads and stores: each lane sees the same operations.
// - sddmm: lanes-many live entries of one row at a time, each a dot product over a column tile of
//   the batch into its own vector accumulator, then one shuffle tree sums all of them
//   (reduce_add_each); a row's remaining entries go through the same tree, their unused slots
//   repeating a live entry whose sums are dropped. Tiling the batch by kSddmmTile keeps the bt
//   tile the rows share in cache; each tile's sums are added to w.
// - spmv: lanes-many rows at a time, each row's live entries a vector at a time (load val, gather
//   x over idx, FMA), then the same shuffle tree gives the rows' sums in one vector.
// - transpose: 8 × 8 (4 × 4 on SSE2) register transposes inside 32 × 32 cache tiles.
// A row's result never depends on which rows share its group or block, so splitting [m0, m1)
// between threads changes nothing (Note [Determinism]).
#include <algorithm>

#include "synapse/ops/kernels/sparse_kernels.hpp"
#include "synapse/ops/kernels/xsimd_compat.hpp"

namespace syn::kernels::simd {

inline constexpr int kSpmmVecs = 4;        // vectors of one output row held in registers
inline constexpr int64_t kSddmmTile = 256;  // batch entries per sddmm tile (1 KiB of each bt row)

// Rows m, m + 1, ..., m + R - 1 of yt, the V vectors from column j (the last one `tail` lanes wide
// when Tail): yt[m, j:] (+)= Σ_p val[p]·xt[idx[p], j:]. The rows' common length runs interleaved.
template <class A, int R, int V, bool Tail>
SYN_SIMD_INLINE void spmm_block(int64_t m, int64_t j, int64_t tail, const int32_t* ptr, const int32_t* idx,
                                const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy,
                                bool accumulate) {
  constexpr int64_t w = kLanes<A>;
  auto ld = [&](const float* p, int v) { return Tail && v == V - 1 ? load_first<A>(p, tail) : load<A>(p); };
  Vec<A> acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = accumulate ? ld(yt + (m + r) * ldy + j + v * w, v) : splat<A>(0.f);
  auto step = [&](int r, int32_t p) {
    const Vec<A> a = splat<A>(val[p]);
    const float* x = xt + static_cast<int64_t>(idx[p]) * ldx + j;
    for (int v = 0; v < V; ++v) acc[r][v] = fma<A>(a, ld(x + v * w, v), acc[r][v]);
  };
  int32_t common = ptr[m + 1] - ptr[m];
  for (int r = 1; r < R; ++r) common = std::min(common, ptr[m + r + 1] - ptr[m + r]);
  for (int32_t q = 0; q < common; ++q)
    for (int r = 0; r < R; ++r) step(r, ptr[m + r] + q);
  for (int r = 0; r < R; ++r)
    for (int32_t p = ptr[m + r] + common; p < ptr[m + r + 1]; ++p) step(r, p);
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) {
      float* y = yt + (m + r) * ldy + j + v * w;
      if (Tail && v == V - 1)
        store_first<A>(y, acc[r][v], tail);
      else
        store<A>(y, acc[r][v]);
    }
}

// Output rows [m0, m1), columns [j, j + V·lanes) (the last vector `tail` lanes wide when Tail).
template <class A, int V, bool Tail>
void spmm_columns(int64_t m0, int64_t m1, int64_t j, int64_t tail, const int32_t* ptr, const int32_t* idx,
                  const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  int64_t m = m0;
  for (; m + 2 <= m1; m += 2) spmm_block<A, 2, V, Tail>(m, j, tail, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
  if (m < m1) spmm_block<A, 1, V, Tail>(m, j, tail, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
}

// Compressed rows: ptr (M + 1), idx (nnz), val (nnz)   xt: (K, n)   yt: (M, n)
template <class A>
void spmm(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* val,
          const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate) {
  constexpr int64_t w = kLanes<A>, block = kSpmmVecs * w;
  int64_t j = 0;
  for (; j + block <= n; j += block)
    spmm_columns<A, kSpmmVecs, false>(m0, m1, j, 0, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
  const int64_t rest = n - j, full = rest / w, tail = rest % w;
  using Fn = void (*)(int64_t, int64_t, int64_t, int64_t, const int32_t*, const int32_t*, const float*,
                      const float*, int64_t, float*, int64_t, bool);
  // [full vectors][whether a partial one follows]; kSpmmVecs = 4.
  static constexpr Fn kRest[4][2] = {{nullptr, spmm_columns<A, 1, true>},
                                     {spmm_columns<A, 1, false>, spmm_columns<A, 2, true>},
                                     {spmm_columns<A, 2, false>, spmm_columns<A, 3, true>},
                                     {spmm_columns<A, 3, false>, spmm_columns<A, 4, true>}};
  if (rest > 0) kRest[full][tail > 0](m0, m1, j, tail == 0 ? w : tail, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
}

// Dot products of a (len) with the lanes-many rows b[e] (len), over whole vectors and a partial last
// one; adds the sums of entries e < count to *out[e].
template <class A>
SYN_SIMD_INLINE void dot_each(int64_t len, const float* a, const float* const* b, float* const* out,
                              int count) {
  constexpr int64_t w = kLanes<A>;
  Vec<A> acc[w];
  for (int64_t e = 0; e < w; ++e) acc[e] = splat<A>(0.f);
  int64_t j = 0;
  for (; j + w <= len; j += w) {
    const Vec<A> x = load<A>(a + j);
    for (int64_t e = 0; e < w; ++e) acc[e] = fma<A>(x, load<A>(b[e] + j), acc[e]);
  }
  if (j < len) {
    const Vec<A> x = load_first<A>(a + j, len - j);
    for (int64_t e = 0; e < w; ++e) acc[e] = fma<A>(x, load_first<A>(b[e] + j, len - j), acc[e]);
  }
  alignas(64) float sums[w];
  store_aligned<A>(sums, reduce_add_each<A>(acc));
  for (int e = 0; e < count; ++e) *out[e] += sums[e];
}

// Compressed rows: ptr (M + 1), idx (nnz)   at: (M, n)   bt: (K, n)   w: (M, K)
template <class A>
void sddmm(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* at,
           int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw) {
  constexpr int lanes = static_cast<int>(kLanes<A>);
  for (int64_t j = 0; j < n; j += kSddmmTile) {
    const int64_t len = std::min(kSddmmTile, n - j);
    for (int64_t m = m0; m < m1; ++m) {
      const float* a = at + m * lda + j;
      for (int32_t p = ptr[m]; p < ptr[m + 1]; p += lanes) {
        const int count = std::min(lanes, ptr[m + 1] - p);
        const float* b[lanes];
        float* out[lanes];
        for (int e = 0; e < lanes; ++e) {
          const int32_t k = idx[p + std::min(e, count - 1)];
          b[e] = bt + static_cast<int64_t>(k) * ldb + j;
          out[e] = w + m * ldw + k;
        }
        dot_each<A>(len, a, b, out, count);
      }
    }
  }
}

// Batch 1: compressed rows as for spmm   x: (K)   y: (M)
template <class A>
void spmv(int64_t m0, int64_t m1, const int32_t* ptr, const int32_t* idx, const float* val, const float* x,
          float* y, bool accumulate) {
  constexpr int64_t w = kLanes<A>;
  for (int64_t m = m0; m < m1; m += w) {
    const int64_t rows = std::min(w, m1 - m);
    Vec<A> acc[w];
    for (int64_t r = 0; r < w; ++r) {
      acc[r] = splat<A>(0.f);
      if (r >= rows) continue;
      const int32_t end = ptr[m + r + 1];
      int32_t p = ptr[m + r];
      for (; p + w <= end; p += w) acc[r] = fma<A>(load<A>(val + p), gather<A>(x, idx + p), acc[r]);
      if (p < end) acc[r] = fma<A>(load_first<A>(val + p, end - p), gather_first<A>(x, idx + p, end - p), acc[r]);
    }
    Vec<A> sums = reduce_add_each<A>(acc);
    if (accumulate) sums = sums + load_first<A>(y + m, rows);
    store_first<A>(y + m, sums, rows);
  }
}

// src (8 × 8, or 4 × 4 on SSE2) -> dst, transposed.
template <class A>
inline constexpr int64_t kTransposeBlock = kIsAvx512<A> || kIsAvx<A> ? 8 : 4;

template <class A>
SYN_SIMD_INLINE void transpose_block(const float* src, int64_t lds, float* dst, int64_t ldd) {
  if constexpr (kTransposeBlock<A> == 8) {
#if XSIMD_WITH_AVX
    __m256 r[8], t[8];
    for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * lds);
    for (int i = 0; i < 4; ++i) {
      t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) {
        const __m256 lo = t[4 * i + j], hi = t[4 * i + j + 2];
        r[4 * i + 2 * j] = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 2 * j + 1] = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 2, 3, 2));
      }
    for (int i = 0; i < 4; ++i) {
      _mm256_storeu_ps(dst + i * ldd, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
      _mm256_storeu_ps(dst + (i + 4) * ldd, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
    }
#endif
  } else {
    __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + lds);
    __m128 r2 = _mm_loadu_ps(src + 2 * lds), r3 = _mm_loadu_ps(src + 3 * lds);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst, r0);
    _mm_storeu_ps(dst + ldd, r1);
    _mm_storeu_ps(dst + 2 * ldd, r2);
    _mm_storeu_ps(dst + 3 * ldd, r3);
  }
}

// src: (rows, cols) -> dst: (cols, rows)
template <class A>
void transpose(int64_t rows, int64_t cols, const float* src, int64_t lds, float* dst, int64_t ldd) {
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

template <class A>
SparseKernels make_sparse_table(Isa isa) {
  return SparseKernels{isa, spmm<A>, sddmm<A>, spmv<A>, transpose<A>};
}

}  // namespace syn::kernels::simd
