#pragma once
// The vectorised recurrent kernels (recurrent_kernels.hpp), instantiated by recurrent_avx2.cpp and
// recurrent_avx512.cpp through make_recurrent_kernels<arch tag>, with only their own ISA flags (Note
// [Kernel dispatch]). The tag gives the width, L = simd::kLanes<A> floats (8, 16); the arithmetic
// is still written on GCC/Clang vector types of L floats with the helpers below, not yet on
// xsimd_compat.hpp's vocabulary. Everything here has internal
// linkage (an unnamed namespace), so each unit keeps its own copy and the linker can never hand wide
// code to a baseline caller; nothing from std:: that could be emitted out of line is used.
//
// Tails (a hidden size that is not a multiple of L) go through the same vector code on zero-padded
// lanes, so a value never depends on where a range starts (Note [Kernel contract]).
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "synapse/ops/kernels/recurrent_kernels.hpp"
#include "synapse/ops/kernels/xsimd_compat.hpp"

namespace syn::kernels {
namespace {

// GCC does not accept a dependent vector_size, hence one specialisation per width.
template <int L>
struct Vec;
template <>
struct Vec<8> {
  using F = float __attribute__((vector_size(32)));
  using I = int32_t __attribute__((vector_size(32)));
};
template <>
struct Vec<16> {
  using F = float __attribute__((vector_size(64)));
  using I = int32_t __attribute__((vector_size(64)));
};
template <int L>
using VF = typename Vec<L>::F;
template <int L>
using VI = typename Vec<L>::I;

template <int L>
[[gnu::always_inline]] inline VF<L> splat(float s) {
  VF<L> v;
#pragma GCC unroll 16
  for (int l = 0; l < L; ++l) v[l] = s;
  return v;
}

template <int L>
[[gnu::always_inline]] inline VF<L> load(const float* p) {
  VF<L> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <int L>
[[gnu::always_inline]] inline void store(float* p, VF<L> v) {
  std::memcpy(p, &v, sizeof v);
}
// The first `count` lanes (the others read as 0 / are not written).
template <int L>
[[gnu::always_inline]] inline VF<L> load(const float* p, int64_t count) {
  if (count == L) return load<L>(p);
  VF<L> v = {};
  std::memcpy(&v, p, sizeof(float) * static_cast<size_t>(count));
  return v;
}
template <int L>
[[gnu::always_inline]] inline void store(float* p, VF<L> v, int64_t count) {
  if (count == L) return store<L>(p, v);
  std::memcpy(p, &v, sizeof(float) * static_cast<size_t>(count));
}

// f(j, count) for j = 0, L, 2L, ... < n with count = min(L, n - j): a compile-time L for the full
// vectors (their loads and stores then have no branch), an int64_t for the tail.
template <int L, class F>
[[gnu::always_inline]] inline void for_each_vector(int64_t n, F f) {
  int64_t j = 0;
  for (; j + L <= n; j += L) f(j, std::integral_constant<int64_t, L>{});
  if (j < n) f(j, n - j);
}

// *p in every lane
template <int L>
[[gnu::always_inline]] inline VF<L> broadcast(const float* p) {
  if constexpr (L == 16)
    return (VF<L>)_mm512_set1_ps(*p);
  else
    return (VF<L>)_mm256_set1_ps(*p);
}

// a·b + c with one rounding (the translation units have -ffp-contract=off, so `a * b + c` on these
// vector types stays a multiply and an add: half the FMA units' throughput).
template <int L>
[[gnu::always_inline]] inline VF<L> fmadd(VF<L> a, VF<L> b, VF<L> c) {
  if constexpr (L == 16)
    return (VF<L>)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
  else
    return (VF<L>)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
}

// ---- Elementary functions (Cephes single-precision polynomials, a few ulp) ----

template <int L>
[[gnu::always_inline]] inline VF<L> abs(VF<L> x) {
  return (VF<L>)((VI<L>)x & 0x7fffffff);
}

// exp(x) for x <= 0 (NaN propagates). Results below 2^-126 (x < -87.3365) flush to 0. Range
// reduction and polynomial in FMAs (one rounding per step, half the latency of a multiply and an add).
template <int L>
[[gnu::always_inline]] inline VF<L> exp_nonpositive(VF<L> x) {
  constexpr float kMin = -87.3365447f, kLog2e = 1.44269504089f, kRound = 12582912.f;  // 1.5·2^23
  const VI<L> under = x < kMin;
  x = under ? splat<L>(kMin) : x;
  const VF<L> n = fmadd<L>(x, splat<L>(kLog2e), splat<L>(kRound)) - kRound;  // round to nearest
  const VF<L> r = fmadd<L>(n, splat<L>(2.12194440e-4f), fmadd<L>(n, splat<L>(-0.693359375f), x));
  VF<L> p = splat<L>(1.9875691500e-4f);
  p = fmadd<L>(p, r, splat<L>(1.3981999507e-3f));
  p = fmadd<L>(p, r, splat<L>(8.3334519073e-3f));
  p = fmadd<L>(p, r, splat<L>(4.1665795894e-2f));
  p = fmadd<L>(p, r, splat<L>(1.6666665459e-1f));
  p = fmadd<L>(p, r, splat<L>(5.0000001201e-1f));
  const VF<L> y = fmadd<L>(p, r * r, r) + 1.f;
  const VI<L> scale = (__builtin_convertvector(n, VI<L>) + 127) << 23;
  const VF<L> e = y * (VF<L>)scale;
  return under ? VF<L>{} : e;
}

// 1 / (1 + exp(-x)), through exp(-|x|) so that neither branch overflows.
template <int L>
[[gnu::always_inline]] inline VF<L> sigmoid(VF<L> x) {
  const VF<L> e = exp_nonpositive<L>(-abs<L>(x));
  const VF<L> r = 1.f / (1.f + e);
  return x >= 0.f ? r : e * r;
}

// On a = |x|: an odd polynomial below 0.625, else (1 - e) / (1 + e) with e = exp(-2a); then x's sign
// (so tanh(-0) = -0).
template <int L>
[[gnu::always_inline]] inline VF<L> tanh(VF<L> x) {
  const VF<L> a = abs<L>(x);
  const VF<L> z = a * a;
  VF<L> p = splat<L>(-5.70498872745e-3f);
  p = fmadd<L>(p, z, splat<L>(2.06390887954e-2f));
  p = fmadd<L>(p, z, splat<L>(-5.37397155531e-2f));
  p = fmadd<L>(p, z, splat<L>(1.33314422036e-1f));
  p = fmadd<L>(p, z, splat<L>(-3.33332819422e-1f));
  const VF<L> small = fmadd<L>(p * z, a, a);
  const VF<L> e = exp_nonpositive<L>(-2.f * a);
  const VF<L> large = (1.f - e) / (1.f + e);
  const VF<L> t = a < 0.625f ? small : large;
  return (VF<L>)((VI<L>)t | ((VI<L>)x & static_cast<int32_t>(0x80000000u)));
}

// ---- Recurrent matrix product (Note [Packed recurrent weights]) ----

// c (R rows, NP·2L columns) += a (R rows, k) · b, row p of b at b + p·ldb (ldb: the panel width).
// The accumulators stay in registers; every element is c, then += a[p]·b[p] for p in order, one
// FMA per term.
template <int L, int R, int NP>
void micro(int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  constexpr int kVecs = 2 * NP;
  VF<L> acc[R][kVecs];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < kVecs; ++v) acc[r][v] = load<L>(c + r * ldc + v * L);
  for (int64_t p = 0; p < k; ++p) {
    VF<L> bv[kVecs];
#pragma GCC unroll 16
    for (int v = 0; v < kVecs; ++v) bv[v] = load<L>(b + p * ldb + v * L);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      // A broadcast straight from memory (a load-port uop; `VF<L>{} + a[...]` would add 0 and then
      // shuffle, on the port the FMAs need).
      const VF<L> ar = broadcast<L>(a + r * lda + p);
#pragma GCC unroll 16
      for (int v = 0; v < kVecs; ++v) acc[r][v] = fmadd<L>(bv[v], ar, acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < kVecs; ++v) store<L>(c + r * ldc + v * L, acc[r][v]);
}

// R rows against `width` columns of one panel (row stride ldb): blocks of 2L columns, NP at a time
// (more independent accumulators when R is small), a last partial block through a zero-padded tile.
template <int L, int R, int NP>
void rows_block(int64_t width, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                int64_t ldc) {
  constexpr int64_t kBlock = 2 * L;
  const int64_t full = width / kBlock;
  int64_t s = 0;
  for (; s + NP <= full; s += NP) micro<L, R, NP>(k, a, lda, b + s * kBlock, ldb, c + s * kBlock, ldc);
  for (; s < full; ++s) micro<L, R, 1>(k, a, lda, b + s * kBlock, ldb, c + s * kBlock, ldc);
  if (const int64_t rest = width - full * kBlock; rest > 0) {
    float tile[R * kBlock] = {};
    for (int r = 0; r < R; ++r)
      std::memcpy(tile + r * kBlock, c + r * ldc + full * kBlock, sizeof(float) * rest);
    micro<L, R, 1>(k, a, lda, b + full * kBlock, ldb, tile, kBlock);
    for (int r = 0; r < R; ++r)
      std::memcpy(c + r * ldc + full * kBlock, tile + r * kBlock, sizeof(float) * rest);
  }
}

template <int L, int MR, int R>
void tail_rows(int64_t rows, int64_t width, int64_t k, const float* a, int64_t lda, const float* b,
               int64_t ldb, float* c, int64_t ldc) {
  if constexpr (R > 0) {
    if (rows == R) return rows_block<L, R, (MR / R > 1 ? MR / R : 1)>(width, k, a, lda, b, ldb, c, ldc);
    tail_rows<L, MR, R - 1>(rows, width, k, a, lda, b, ldb, c, ldc);
  }
}

// a: (m, k)  b: (k, n) packed in panels of `panel` columns  c: (m, n);  c += a·b, MR rows per
// micro-kernel.
template <int L, int MR>
void matmul_packed(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                   int64_t panel, float* c, int64_t ldc) {
  constexpr int64_t kBlock = 2 * L;
  const int64_t body = m / MR * MR;
  for (int64_t q0 = 0; q0 < n; q0 += panel) {
    const float* bq = b + q0 * k;
    const int64_t width = n - q0 < panel ? n - q0 : panel, full = width / kBlock * kBlock;
    // Column-block-outer over the full row blocks: one 2L-wide block of the panel stays in L1 while
    // every row block passes over it.
    for (int64_t s = 0; s < full; s += kBlock)
      for (int64_t i = 0; i < body; i += MR)
        micro<L, MR, 1>(k, a + i * lda, lda, bq + s, panel, c + i * ldc + q0 + s, ldc);
    if (full < width)
      for (int64_t i = 0; i < body; i += MR)
        rows_block<L, MR, 1>(width - full, k, a + i * lda, lda, bq + full, panel, c + i * ldc + q0 + full,
                             ldc);
    tail_rows<L, MR, MR - 1>(m - body, width, k, a + body * lda, lda, bq, panel, c + body * ldc + q0, ldc);
  }
}

// ---- Gate kernels (Note [Gate layouts]) ----

// Note [Short dependency chains]
// An activation is a chain of some 20 dependent vector operations (exp's reduction and polynomial,
// the division, the select), so a loop iteration that runs activations one after another (the
// LSTM's four gates, then tanh of the new cell) is latency-bound: the out-of-order window does not
// reach the next iteration's independent work. Hence the LSTM and GRU forwards run two passes over a
// row, whose iterations each hold independent chains only: the LSTM's four gates and c, then
// h = o·tanh(c); the GRU's r and z, then n and h (what the second pass needs is read back from L1).
// Same operations per element, same results.
template <int L>
void lstm_cell(int64_t rows, int64_t hidden, float* gates, const float* c_prev, float* c, float* h) {
  for (int64_t r = 0; r < rows; ++r) {
    float* g = gates + r * 4 * hidden;
    const int64_t e = r * hidden;
    // Note [Short dependency chains]
    for_each_vector<L>(hidden, [&](int64_t j, auto count) {
      const VF<L> i = sigmoid<L>(load<L>(g + j, count));
      const VF<L> f = sigmoid<L>(load<L>(g + hidden + j, count));
      const VF<L> u = tanh<L>(load<L>(g + 2 * hidden + j, count));
      const VF<L> o = sigmoid<L>(load<L>(g + 3 * hidden + j, count));
      const VF<L> cell = f * load<L>(c_prev + e + j, count) + i * u;
      store<L>(g + j, i, count);
      store<L>(g + hidden + j, f, count);
      store<L>(g + 2 * hidden + j, u, count);
      store<L>(g + 3 * hidden + j, o, count);
      store<L>(c + e + j, cell, count);
    });
    for_each_vector<L>(hidden, [&](int64_t j, auto count) {
      store<L>(h + e + j, load<L>(g + 3 * hidden + j, count) * tanh<L>(load<L>(c + e + j, count)), count);
    });
  }
}

template <int L>
void lstm_cell_backward(int64_t rows, int64_t hidden, const float* gates, const float* c_prev, const float* c,
                        const float* dh, float* dc, float* dgates) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = gates + r * 4 * hidden;
    float* dg = dgates + r * 4 * hidden;
    const int64_t e = r * hidden;
    for_each_vector<L>(hidden, [&](int64_t j, auto count) {
      const VF<L> i = load<L>(g + j, count), f = load<L>(g + hidden + j, count);
      const VF<L> u = load<L>(g + 2 * hidden + j, count), o = load<L>(g + 3 * hidden + j, count);
      const VF<L> tc = tanh<L>(load<L>(c + e + j, count));
      const VF<L> gh = load<L>(dh + e + j, count);
      const VF<L> dct = load<L>(dc + e + j, count) + gh * o * (1.f - tc * tc);
      store<L>(dg + j, dct * u * i * (1.f - i), count);
      store<L>(dg + hidden + j, dct * load<L>(c_prev + e + j, count) * f * (1.f - f), count);
      store<L>(dg + 2 * hidden + j, dct * i * (1.f - u * u), count);
      store<L>(dg + 3 * hidden + j, gh * tc * o * (1.f - o), count);
      store<L>(dc + e + j, dct * f, count);
    });
  }
}

template <int L>
void gru_cell(int64_t rows, int64_t hidden, const float* xp, const float* hp, const float* h_prev,
              float* gates, float* h) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = xp + r * 3 * hidden;
    const float* q = hp + r * 3 * hidden;
    float* g = gates + r * 4 * hidden;
    const int64_t e = r * hidden;
    // Note [Short dependency chains]: r and z, then n (which needs r) and h.
    for_each_vector<L>(hidden, [&](int64_t j, auto count) {
      store<L>(g + j, sigmoid<L>(load<L>(x + j, count) + load<L>(q + j, count)), count);
      store<L>(g + hidden + j, sigmoid<L>(load<L>(x + hidden + j, count) + load<L>(q + hidden + j, count)), count);
    });
    for_each_vector<L>(hidden, [&](int64_t j, auto count) {
      const VF<L> rs = load<L>(g + j, count), z = load<L>(g + hidden + j, count);
      const VF<L> hn = load<L>(q + 2 * hidden + j, count);
      const VF<L> n = tanh<L>(load<L>(x + 2 * hidden + j, count) + rs * hn);
      store<L>(g + 2 * hidden + j, n, count);
      store<L>(g + 3 * hidden + j, hn, count);
      store<L>(h + e + j, n + z * (load<L>(h_prev + e + j, count) - n), count);
    });
  }
}

template <int L>
void gru_cell_backward(int64_t rows, int64_t hidden, const float* gates, const float* h_prev, const float* dh,
                       float* dxp, float* dhp, float* dh_prev) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = gates + r * 4 * hidden;
    float* dx = dxp + r * 3 * hidden;
    float* dq = dhp + r * 3 * hidden;
    const int64_t e = r * hidden;
    for_each_vector<L>(hidden, [&](int64_t j, auto count) {
      const VF<L> rs = load<L>(g + j, count), z = load<L>(g + hidden + j, count);
      const VF<L> n = load<L>(g + 2 * hidden + j, count), hn = load<L>(g + 3 * hidden + j, count);
      const VF<L> gh = load<L>(dh + e + j, count);
      const VF<L> dn = gh * (1.f - z) * (1.f - n * n);
      const VF<L> dr = dn * hn * rs * (1.f - rs);
      const VF<L> dz = gh * (load<L>(h_prev + e + j, count) - n) * z * (1.f - z);
      store<L>(dx + j, dr, count);
      store<L>(dq + j, dr, count);
      store<L>(dx + hidden + j, dz, count);
      store<L>(dq + hidden + j, dz, count);
      store<L>(dx + 2 * hidden + j, dn, count);
      store<L>(dq + 2 * hidden + j, dn * rs, count);
      store<L>(dh_prev + e + j, gh * z, count);
    });
  }
}

template <int L>
void rnn_tanh_cell(int64_t n, const float* pre, float* h) {
  for_each_vector<L>(
      n, [&](int64_t j, auto count) { store<L>(h + j, tanh<L>(load<L>(pre + j, count)), count); });
}
template <int L>
void rnn_relu_cell(int64_t n, const float* pre, float* h) {
  for_each_vector<L>(n, [&](int64_t j, auto count) {
    const VF<L> x = load<L>(pre + j, count);
    store<L>(h + j, x < 0.f ? VF<L>{} : x, count);
  });
}
template <int L>
void rnn_tanh_cell_backward(int64_t n, const float* h, const float* dh, float* dpre) {
  for_each_vector<L>(n, [&](int64_t j, auto count) {
    const VF<L> y = load<L>(h + j, count);
    store<L>(dpre + j, load<L>(dh + j, count) * (1.f - y * y), count);
  });
}
template <int L>
void rnn_relu_cell_backward(int64_t n, const float* h, const float* dh, float* dpre) {
  for_each_vector<L>(n, [&](int64_t j, auto count) {
    store<L>(dpre + j, load<L>(h + j, count) > 0.f ? load<L>(dh + j, count) : VF<L>{}, count);
  });
}

// The table of one instruction set: the arch tag's lanes per vector, MR rows per matmul micro-kernel.
template <class A, int MR>
RecurrentKernels make_recurrent_kernels(Isa isa) {
  constexpr int L = static_cast<int>(simd::kLanes<A>);
  return {isa,
          2 * L,
          matmul_packed<L, MR>,
          lstm_cell<L>,
          lstm_cell_backward<L>,
          gru_cell<L>,
          gru_cell_backward<L>,
          rnn_tanh_cell<L>,
          rnn_relu_cell<L>,
          rnn_tanh_cell_backward<L>,
          rnn_relu_cell_backward<L>};
}

}  // namespace
}  // namespace syn::kernels
