#pragma once
// Fused attention (Note [Fused attention]) written once as templates on the architecture, and
// instantiated by attention_scalar.cpp / _sse2.cpp / _avx2.cpp / _avx512.cpp. Included by those
// units only (Note [Kernel dispatch]).
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "synapse/ops/kernels/attention_kernels.hpp"
#include "synapse/ops/kernels/xsimd_compat.hpp"

namespace syn::kernels::attention_detail {

using simd::Vec;

inline constexpr int64_t kQueryBlock = 64;
inline constexpr int64_t kKeyBlock = 128;
inline constexpr float kNegInf = -std::numeric_limits<float>::infinity();

template <class Arch>
constexpr int64_t padded(int64_t n) {
  constexpr int64_t w = simd::kLanes<Arch>;
  return (n + w - 1) / w * w;
}

// Small products on padded scratch, vectorised along C's columns:
// C[r, 0:NV*W] (+)= Σ_p X(r, p) · Y[p, 0:NV*W] for r < R, with X(r, p) = x[r*x_rs + p*x_cs] and
// Y's rows readable for NV whole vectors.
using TileFn = void (*)(int64_t kdim, const float* x, int64_t x_rs, int64_t x_cs, const float* y, int64_t ldy,
                        float* c, int64_t ldc, bool accumulate);

template <class Arch, int R, int NV>
void tile(int64_t kdim, const float* x, int64_t x_rs, int64_t x_cs, const float* y, int64_t ldy, float* c,
          int64_t ldc, bool accumulate) {
  using V = Vec<Arch>;
  constexpr int W = simd::kLanes<Arch>;
  V acc[R][NV] = {};
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = simd::splat<Arch>(0.f);
  for (int64_t p = 0; p < kdim; ++p) {
    V yv[NV] = {};
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) yv[v] = simd::load<Arch>(y + p * ldy + v * W);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const V xr = simd::splat<Arch>(x[r * x_rs + p * x_cs]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = simd::fma<Arch>(xr, yv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      float* cp = c + r * ldc + v * W;
      simd::store<Arch>(cp, accumulate ? simd::load<Arch>(cp) + acc[r][v] : acc[r][v]);
    }
}

template <class Arch, int R, int NV>
constexpr TileFn tile_or_null() {
  if constexpr (R * NV <= 16) {
    return &tile<Arch, R, NV>;
  } else {
    return nullptr;
  }
}

// Tiles of up to 8 rows x 2 vectors or 4 rows x 4 vectors (at most 16 accumulators).
template <class Arch>
struct TileTable {
  static constexpr int kRows = 8, kVecs = 4;
  TileFn fns[kRows][kVecs] = {};
  constexpr TileTable() { fill(std::make_integer_sequence<int, kRows * kVecs>{}); }
  template <int... I>
  constexpr void fill(std::integer_sequence<int, I...>) {
    ((fns[I / kVecs][I % kVecs] = tile_or_null<Arch, I / kVecs + 1, I % kVecs + 1>()), ...);
  }
};
template <class Arch>
inline constexpr TileTable<Arch> kTiles{};

// C[0:rows, 0:nvec*W] (+)= X · Y over kdim, tile by tile.
template <class Arch>
void matmul(int64_t rows, int64_t nvec, int64_t kdim, const float* x, int64_t x_rs, int64_t x_cs,
            const float* y, int64_t ldy, float* c, int64_t ldc, bool accumulate) {
  constexpr int W = simd::kLanes<Arch>;
  constexpr int kV = TileTable<Arch>::kVecs;
  for (int64_t v0 = 0; v0 < nvec; v0 += kV) {
    const int nv = nvec - v0 < kV ? static_cast<int>(nvec - v0) : kV;
    const int kR = nv <= 2 ? 8 : 4;
    for (int64_t r0 = 0; r0 < rows; r0 += kR) {
      const int nr = rows - r0 < kR ? static_cast<int>(rows - r0) : kR;
      kTiles<Arch>.fns[nr - 1][nv - 1](kdim, x + r0 * x_rs, x_rs, x_cs, y + v0 * W, ldy,
                                       c + r0 * ldc + v0 * W, ldc, accumulate);
    }
  }
}

// Per-head scratch, all rows padded to whole vectors. Forward: kt, vp, s, o_acc, m, l. Backward:
// kt, vt, kp, dkt, dvt, s, dp, dq, drow.
template <class Arch>
struct Layout {
  int64_t tkp, dp, dvp, kbp;
  explicit Layout(const AttentionDims& dims)
      : tkp(padded<Arch>(dims.tk)),
        dp(padded<Arch>(dims.d)),
        dvp(padded<Arch>(dims.dv)),
        kbp(padded<Arch>(dims.tk < kKeyBlock ? dims.tk : kKeyBlock)) {}
  int64_t forward_floats(const AttentionDims& dims) const {
    return dims.d * tkp + dims.tk * dvp + kQueryBlock * (kbp + dvp + 2);
  }
  int64_t backward_floats(const AttentionDims& dims) const {
    return (2 * dims.d + 2 * dims.dv) * tkp + dims.tk * dp + kQueryBlock * (2 * kbp + dp + 1);
  }
};

template <class Arch>
size_t workspace(const AttentionDims& dims) {
  const Layout<Arch> lay(dims);
  const int64_t f = lay.forward_floats(dims), b = lay.backward_floats(dims);
  return static_cast<size_t>(f > b ? f : b);
}

// dst (cols x ld_dst) = srcᵀ for src (rows x cols, row stride cols); columns rows..ld_dst-1 zeroed.
template <class Arch>
void transpose_padded(const float* src, int64_t rows, int64_t cols, float* dst, int64_t ld_dst) {
  simd::transpose<Arch>(src, cols, rows, cols, dst, ld_dst);
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t r = rows; r < ld_dst; ++r) dst[c * ld_dst + r] = 0.f;
}

// dst (rows x ld_dst) = src (rows x cols), columns cols..ld_dst-1 zeroed.
template <class Arch>
void copy_padded(const float* src, int64_t rows, int64_t cols, float* dst, int64_t ld_dst) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) dst[r * ld_dst + c] = src[r * cols + c];
    for (int64_t c = cols; c < ld_dst; ++c) dst[r * ld_dst + c] = 0.f;
  }
}

// Keys a query row may see inside the block [j0, j0 + kn): all of them, or up to the diagonal.
template <class Arch>
int64_t visible_keys(const AttentionDims& dims, int64_t i, int64_t j0, int64_t kn) {
  if (!dims.causal) return kn;
  const int64_t last = i - j0 + 1;
  return last < kn ? (last > 0 ? last : 0) : kn;
}

// Keys that any query of [i0, i0 + qn) may see: all, or those up to the last query's diagonal.
template <class Arch>
int64_t key_end(const AttentionDims& dims, int64_t i0, int64_t qn) {
  return dims.causal && i0 + qn < dims.tk ? i0 + qn : dims.tk;
}

// One row of a score block in the online softmax (Note [Fused attention]): s (nvec vectors, the
// first `seen` keys visible) becomes e^(s·scale - m'), m and l are updated and the row of the
// output accumulator is rescaled by e^(m - m').
template <class Arch>
void softmax_row(float* s, int64_t nvec, int64_t seen, Vec<Arch> scale, float& m, float& l, float* o_acc,
                 int64_t dvp) {
  using V = Vec<Arch>;
  constexpr int W = simd::kLanes<Arch>;
  if (seen == 0) {  // the whole block lies above this row's diagonal: it contributes nothing
    for (int64_t x = 0; x < nvec * W; ++x) s[x] = 0.f;
    return;
  }
  V row[kKeyBlock / W];
  V vmax = simd::splat<Arch>(kNegInf);
  for (int64_t vi = 0; vi < nvec; ++vi) {
    row[vi] = simd::keep_first<Arch>(simd::load<Arch>(s + vi * W) * scale, static_cast<int>(seen - vi * W),
                                     kNegInf);
    vmax = simd::max<Arch>(vmax, row[vi]);
  }
  const float row_max = simd::hmax<Arch>(vmax);
  const float m_new = m >= row_max ? m : row_max;
  const float alpha = std::exp(m - m_new);
  const V mv = simd::splat<Arch>(m_new);
  V sum = simd::splat<Arch>(0.f);
  for (int64_t vi = 0; vi < nvec; ++vi) {
    const V p = simd::xsimd_exp<Arch>(row[vi] - mv);
    simd::store<Arch>(s + vi * W, p);
    sum = sum + p;
  }
  l = l * alpha + simd::hadd<Arch>(sum);
  m = m_new;
  const V av = simd::splat<Arch>(alpha);
  for (int64_t x = 0; x < dvp; x += W) simd::store<Arch>(o_acc + x, simd::load<Arch>(o_acc + x) * av);
}

// dst[0:n] = src[0:n] * factor (src readable in whole vectors).
template <class Arch>
void store_row(float* dst, const float* src, int64_t n, float factor) {
  constexpr int W = simd::kLanes<Arch>;
  const Vec<Arch> f = simd::splat<Arch>(factor);
  for (int64_t x = 0; x < n; x += W) {
    const int cnt = n - x < W ? static_cast<int>(n - x) : W;
    simd::store_first<Arch>(dst + x, simd::load<Arch>(src + x) * f, cnt);
  }
}

// dst[0:n] += src[0:n] (src readable in whole vectors).
template <class Arch>
void add_row(float* dst, const float* src, int64_t n) {
  constexpr int W = simd::kLanes<Arch>;
  for (int64_t x = 0; x < n; x += W) {
    const int cnt = n - x < W ? static_cast<int>(n - x) : W;
    simd::store_first<Arch>(dst + x, simd::load_first<Arch>(dst + x, cnt) + simd::load<Arch>(src + x), cnt);
  }
}

// dst (cols x rows, row stride rows) += srcᵀ for src (rows x cols, row stride ld_src).
template <class Arch>
void add_transposed(const float* src, int64_t ld_src, int64_t rows, int64_t cols, float* dst) {
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t r = 0; r < rows; ++r) dst[c * rows + r] += src[r * ld_src + c];
}

// Σ a[i]·b[i] over n floats.
template <class Arch>
float dot(const float* a, const float* b, int64_t n) {
  constexpr int W = simd::kLanes<Arch>;
  Vec<Arch> acc = simd::splat<Arch>(0.f);
  for (int64_t x = 0; x < n; x += W) {
    const int cnt = n - x < W ? static_cast<int>(n - x) : W;
    acc = simd::fma<Arch>(simd::load_first<Arch>(a + x, cnt), simd::load_first<Arch>(b + x, cnt), acc);
  }
  return simd::hadd<Arch>(acc);
}

template <class Arch>
void forward_head(const AttentionDims& dims, const float* q, const float* k, const float* v, float* o,
                  float* lse, float* ws) {
  using V = Vec<Arch>;
  constexpr int W = simd::kLanes<Arch>;
  const Layout<Arch> lay(dims);
  const int64_t d = dims.d, dv = dims.dv;
  float* kt = ws;                            // d x tkp: Kᵀ
  float* vp = kt + d * lay.tkp;              // tk x dvp: V
  float* s = vp + dims.tk * lay.dvp;         // kQueryBlock x kbp: scores, then probabilities
  float* o_acc = s + kQueryBlock * lay.kbp;  // kQueryBlock x dvp: unnormalised output
  float* m = o_acc + kQueryBlock * lay.dvp;  // running row maximum
  float* l = m + kQueryBlock;                // running row sum
  transpose_padded<Arch>(k, dims.tk, d, kt, lay.tkp);
  copy_padded<Arch>(v, dims.tk, dv, vp, lay.dvp);
  const V scale = simd::splat<Arch>(dims.scale);

  for (int64_t i0 = 0; i0 < dims.tq; i0 += kQueryBlock) {
    const int64_t qn = dims.tq - i0 < kQueryBlock ? dims.tq - i0 : kQueryBlock;
    for (int64_t r = 0; r < qn; ++r) m[r] = kNegInf, l[r] = 0.f;
    for (int64_t x = 0; x < qn * lay.dvp; ++x) o_acc[x] = 0.f;
    const int64_t kend = key_end<Arch>(dims, i0, qn);
    for (int64_t j0 = 0; j0 < kend; j0 += kKeyBlock) {
      const int64_t kn = kend - j0 < kKeyBlock ? kend - j0 : kKeyBlock, nvec = padded<Arch>(kn) / W;
      // S = Q·Kᵀ for this block.
      matmul<Arch>(qn, nvec, d, q + i0 * d, d, 1, kt + j0, lay.tkp, s, lay.kbp, false);
      for (int64_t r = 0; r < qn; ++r)
        softmax_row<Arch>(s + r * lay.kbp, nvec, visible_keys<Arch>(dims, i0 + r, j0, kn), scale, m[r], l[r],
                          o_acc + r * lay.dvp, lay.dvp);
      // O += P·V.
      matmul<Arch>(qn, lay.dvp / W, kn, s, lay.kbp, 1, vp + j0 * lay.dvp, lay.dvp, o_acc, lay.dvp, true);
    }
    for (int64_t r = 0; r < qn; ++r) {
      store_row<Arch>(o + (i0 + r) * dv, o_acc + r * lay.dvp, dv, 1.f / l[r]);
      lse[i0 + r] = m[r] + std::log(l[r]);
    }
  }
}

template <class Arch>
void backward_head(const AttentionDims& dims, const float* q, const float* k, const float* v, const float* o,
                   const float* dout, const float* lse, float* dq, float* dk, float* dv_out, float* ws) {
  using V = Vec<Arch>;
  constexpr int W = simd::kLanes<Arch>;
  const Layout<Arch> lay(dims);
  const int64_t d = dims.d, dv = dims.dv;
  float* kt = ws;                            // d x tkp: Kᵀ
  float* vt = kt + d * lay.tkp;              // dv x tkp: Vᵀ
  float* dkt = vt + dv * lay.tkp;            // d x tkp: dKᵀ
  float* dvt = dkt + d * lay.tkp;            // dv x tkp: dVᵀ
  float* kp = dvt + dv * lay.tkp;            // tk x dp: K
  float* s = kp + dims.tk * lay.dp;          // kQueryBlock x kbp: scores, then P
  float* dp = s + kQueryBlock * lay.kbp;     // kQueryBlock x kbp: dP, then dS
  float* dqb = dp + kQueryBlock * lay.kbp;   // kQueryBlock x dp: dQ of the query block
  float* drow = dqb + kQueryBlock * lay.dp;  // D = rowsum(dO ⊙ O)
  transpose_padded<Arch>(k, dims.tk, d, kt, lay.tkp);
  transpose_padded<Arch>(v, dims.tk, dv, vt, lay.tkp);
  copy_padded<Arch>(k, dims.tk, d, kp, lay.dp);
  for (int64_t x = 0; x < (d + dv) * lay.tkp; ++x) dkt[x] = 0.f;  // dkt and dvt are adjacent
  const V scale = simd::splat<Arch>(dims.scale);

  for (int64_t i0 = 0; i0 < dims.tq; i0 += kQueryBlock) {
    const int64_t qn = dims.tq - i0 < kQueryBlock ? dims.tq - i0 : kQueryBlock;
    const float* qb = q + i0 * d;
    const float* dob = dout + i0 * dv;
    for (int64_t r = 0; r < qn; ++r) drow[r] = dot<Arch>(dob + r * dv, o + (i0 + r) * dv, dv);
    for (int64_t x = 0; x < qn * lay.dp; ++x) dqb[x] = 0.f;
    const int64_t kend = key_end<Arch>(dims, i0, qn);
    for (int64_t j0 = 0; j0 < kend; j0 += kKeyBlock) {
      const int64_t kn = kend - j0 < kKeyBlock ? kend - j0 : kKeyBlock, nvec = padded<Arch>(kn) / W;
      matmul<Arch>(qn, nvec, d, qb, d, 1, kt + j0, lay.tkp, s, lay.kbp, false);      // S = Q·Kᵀ
      matmul<Arch>(qn, nvec, dv, dob, dv, 1, vt + j0, lay.tkp, dp, lay.kbp, false);  // dP = dO·Vᵀ
      for (int64_t r = 0; r < qn; ++r) {
        float* sr = s + r * lay.kbp;
        float* dr = dp + r * lay.kbp;
        const int64_t seen = visible_keys<Arch>(dims, i0 + r, j0, kn);
        const V lv = simd::splat<Arch>(lse[i0 + r]), dvv = simd::splat<Arch>(drow[r]);
        for (int64_t vi = 0; vi < nvec; ++vi) {
          const int left = static_cast<int>(seen - vi * W);
          const V p =
              simd::keep_first<Arch>(simd::xsimd_exp<Arch>(simd::load<Arch>(sr + vi * W) * scale - lv), left, 0.f);
          const V ds = simd::keep_first<Arch>(p * (simd::load<Arch>(dr + vi * W) - dvv) * scale, left, 0.f);
          simd::store<Arch>(sr + vi * W, p);
          simd::store<Arch>(dr + vi * W, ds);
        }
      }
      if (dq) matmul<Arch>(qn, lay.dp / W, kn, dp, lay.kbp, 1, kp + j0 * lay.dp, lay.dp, dqb, lay.dp, true);
      if (dv_out)
        matmul<Arch>(dv, nvec, qn, dob, 1, dv, s, lay.kbp, dvt + j0, lay.tkp, true);      // dVᵀ += dOᵀ·P
      if (dk) matmul<Arch>(d, nvec, qn, qb, 1, d, dp, lay.kbp, dkt + j0, lay.tkp, true);  // dKᵀ += Qᵀ·dS
    }
    if (dq)
      for (int64_t r = 0; r < qn; ++r) add_row<Arch>(dq + (i0 + r) * d, dqb + r * lay.dp, d);
  }
  // Keys no query may see (none when not causal) keep zero gradients.
  if (dk) add_transposed<Arch>(dkt, lay.tkp, d, dims.tk, dk);
  if (dv_out) add_transposed<Arch>(dvt, lay.tkp, dv, dims.tk, dv_out);
}

template <class Arch>
void forward(const AttentionDims& dims, int64_t heads, const float* q, const float* k, const float* v,
             float* o, float* lse, float* ws) {
  for (int64_t h = 0; h < heads; ++h)
    forward_head<Arch>(dims, q + h * dims.tq * dims.d, k + h * dims.tk * dims.d, v + h * dims.tk * dims.dv,
                       o + h * dims.tq * dims.dv, lse + h * dims.tq, ws);
}

template <class Arch>
void backward(const AttentionDims& dims, int64_t heads, const float* q, const float* k, const float* v,
              const float* o, const float* dout, const float* lse, float* dq, float* dk, float* dv,
              float* ws) {
  const int64_t sq = dims.tq * dims.d, sk = dims.tk * dims.d, sv = dims.tk * dims.dv, so = dims.tq * dims.dv;
  for (int64_t h = 0; h < heads; ++h)
    backward_head<Arch>(dims, q + h * sq, k + h * sk, v + h * sv, o + h * so, dout + h * so,
                        lse + h * dims.tq, dq ? dq + h * sq : nullptr, dk ? dk + h * sk : nullptr,
                        dv ? dv + h * sv : nullptr, ws);
}

template <class Arch>
constexpr AttentionKernels make_attention_kernels(Isa isa) {
  return AttentionKernels{isa, &workspace<Arch>, &forward<Arch>, &backward<Arch>};
}

}  // namespace syn::kernels::attention_detail
