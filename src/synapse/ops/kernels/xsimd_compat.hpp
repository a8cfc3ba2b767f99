#pragma once
// The one header that includes xsimd (Debian ships xsimd 8.1.0). Kernels use xsimd's batch types,
// arithmetic operators and comparisons directly; every other xsimd call goes through the wrappers
// below so that a newer xsimd only needs changes here. Where 8.1 is wrong for our purpose the
// wrapper uses intrinsics: its fma is an unfused a*b+c on AVX-512. Two traps: operator!= is false
// for NaN on AVX and AVX-512 (use is_nan()), and unary minus maps +0 to +0 on AVX-512 (use negate()).
//
// Only the per-ISA translation units include this header. Every function here is a template on the
// xsimd architecture tag `A`, so each instruction set's instantiations are distinct symbols that
// the linker cannot mix up (Note [Kernel dispatch]).
#include <immintrin.h>

#include <cstdint>
#include <type_traits>
#include <xsimd/xsimd.hpp>

// For the math routines the kernels' loops call once per vector: GCC otherwise keeps the larger ones
// out of line on SSE2 and reloads every constant per call.
#define SYN_SIMD_INLINE inline __attribute__((always_inline))

namespace syn::kernels::simd {

template <class A>
using Vec = xsimd::batch<float, A>;
template <class A>
using Mask = xsimd::batch_bool<float, A>;
template <class A>
using IVec = xsimd::batch<int32_t, A>;

// Floats per vector.
template <class A>
inline constexpr int64_t kLanes = static_cast<int64_t>(Vec<A>::size);

// Which family the tag belongs to: 512-bit, 256-bit or (otherwise) 128-bit SSE registers.
template <class A>
inline constexpr bool kIsAvx512 = std::is_base_of_v<xsimd::avx512f, A>;
template <class A>
inline constexpr bool kIsAvx = std::is_base_of_v<xsimd::avx, A>;
// Whether the instruction set has fused multiply-add (the AVX2 tables are AVX2+FMA).
template <class A>
inline constexpr bool kHasFma = kIsAvx512<A> || std::is_base_of_v<xsimd::fma3<xsimd::avx2>, A>;

template <class A>
Vec<A> splat(float v) {
  return Vec<A>(v);
}
template <class A>
Vec<A> load(const float* p) {
  return Vec<A>::load_unaligned(p);
}
template <class A>
void store(float* p, const Vec<A>& v) {
  v.store_unaligned(p);
}
// Aligned access to a kernel's own stack buffers.
template <class A>
Vec<A> load_aligned(const float* p) {
  return Vec<A>::load_aligned(p);
}
template <class A>
void store_aligned(float* p, const Vec<A>& v) {
  v.store_aligned(p);
}

template <class A>
Vec<A> select(const Mask<A>& m, const Vec<A>& if_true, const Vec<A>& if_false) {
  return xsimd::select(m, if_true, if_false);
}
// Use this, never `v != v`: xsimd 8.1's operator!= on AVX and AVX-512 is an ordered compare
// (_CMP_NEQ_OQ), false for NaN operands.
template <class A>
Mask<A> is_nan(const Vec<A>& v) {
  return xsimd::isnan(v);
}

// -v by flipping the sign bit. Use this, never unary minus: xsimd 8.1 computes -v as 0 - v on
// AVX-512, so -(+0) comes out +0.
template <class A>
Vec<A> negate(const Vec<A>& v) {
  return xsimd::bitwise_cast<Vec<A>>(xsimd::bitwise_cast<IVec<A>>(v) ^
                                     IVec<A>(static_cast<int32_t>(0x80000000u)));
}

// a * b + c with a single rounding where the instruction set has FMA, two roundings otherwise.
template <class A>
Vec<A> fma(const Vec<A>& a, const Vec<A>& b, const Vec<A>& c) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    return Vec<A>(_mm512_fmadd_ps(a, b, c));
#endif
  } else if constexpr (kHasFma<A>) {
#if XSIMD_WITH_FMA3_AVX2
    return Vec<A>(_mm256_fmadd_ps(a, b, c));
#endif
  } else {
    return a * b + c;
  }
}
// c - a * b, rounded like fma().
template <class A>
Vec<A> fnma(const Vec<A>& a, const Vec<A>& b, const Vec<A>& c) {
  return fma<A>(negate<A>(a), b, c);
}

// The exact rounding error of a * b: a * b == p + two_product_error(a, b, p) for p = a * b
// (barring overflow). One fma with FMA, Dekker's splitting without.
template <class A>
Vec<A> two_product_error(const Vec<A>& a, const Vec<A>& b, const Vec<A>& p) {
  if constexpr (kHasFma<A>) {
    return fma<A>(a, b, negate<A>(p));
  } else {
    const Vec<A> split = splat<A>(4097.f);  // 2^12 + 1
    const Vec<A> ca = a * split, cb = b * split;
    const Vec<A> ah = ca - (ca - a), bh = cb - (cb - b);
    const Vec<A> al = a - ah, bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  }
}

// Round to nearest even, as int32 (out-of-range and NaN lanes give INT32_MIN).
template <class A>
IVec<A> round_to_int(const Vec<A>& v) {
  return xsimd::nearbyint_as_int(v);
}
template <class A>
Vec<A> to_float(const IVec<A>& v) {
  return xsimd::to_float(v);
}
template <class A>
IVec<A> bits_of(const Vec<A>& v) {
  return xsimd::bitwise_cast<IVec<A>>(v);
}
template <class A>
Vec<A> float_from_bits(const IVec<A>& v) {
  return xsimd::bitwise_cast<Vec<A>>(v);
}

// Sum of the lanes (xsimd 8.1: hadd; later versions: reduce_add). Not xsimd's hadd on AVX-512: it
// goes through avx2-tagged batches, whose out-of-line copies in unoptimised builds would be
// AVX-512 code under the same symbols as the AVX2 unit's.
template <class A>
float reduce_add(const Vec<A>& v) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    return _mm512_reduce_add_ps(v);
#endif
  } else {
    return xsimd::hadd(v);
  }
}

// ---- Partial vectors, gathers and many-vector sums (used by sparse_impl.hpp) ----

// The first n lanes from p (0 <= n <= lanes), the rest zero; never reads past p[n-1].
template <class A>
Vec<A> load_first(const float* p, int64_t n) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    return Vec<A>(_mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p));
#endif
  } else if constexpr (kIsAvx<A>) {
#if XSIMD_WITH_AVX
    const __m256i lanes = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                                             _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return Vec<A>(_mm256_maskload_ps(p, lanes));
#endif
  } else {
    alignas(64) float t[kLanes<A>] = {};
    for (int64_t i = 0; i < n; ++i) t[i] = p[i];
    return load_aligned<A>(t);
  }
}
// Stores the first n lanes of v to p (0 <= n <= lanes); never writes past p[n-1].
template <class A>
void store_first(float* p, const Vec<A>& v, int64_t n) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
#endif
  } else if constexpr (kIsAvx<A>) {
#if XSIMD_WITH_AVX
    const __m256i lanes = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                                             _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    _mm256_maskstore_ps(p, lanes, v);
#endif
  } else {
    alignas(64) float t[kLanes<A>];
    store_aligned<A>(t, v);
    for (int64_t i = 0; i < n; ++i) p[i] = t[i];
  }
}

// base[idx[i]] for the first n lanes (0 <= n <= lanes), the rest zero; reads idx[0..n) only.
template <class A>
Vec<A> gather_first(const float* base, const int32_t* idx, int64_t n) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    const __mmask16 lanes = static_cast<__mmask16>((1u << n) - 1u);
    const __m512i i = _mm512_maskz_loadu_epi32(lanes, idx);
    return Vec<A>(_mm512_mask_i32gather_ps(_mm512_setzero_ps(), lanes, i, base, 4));
#endif
  } else if constexpr (kHasFma<A>) {  // AVX2
#if XSIMD_WITH_AVX2
    const __m256i lanes = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                                             _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i i = _mm256_maskload_epi32(idx, lanes);
    return Vec<A>(_mm256_mask_i32gather_ps(_mm256_setzero_ps(), base, i, _mm256_castsi256_ps(lanes), 4));
#endif
  } else {
    alignas(64) float t[kLanes<A>] = {};
    for (int64_t i = 0; i < n; ++i) t[i] = base[idx[i]];
    return load_aligned<A>(t);
  }
}
// base[idx[i]] for every lane.
template <class A>
Vec<A> gather(const float* base, const int32_t* idx) {
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    return Vec<A>(_mm512_i32gather_ps(_mm512_loadu_si512(idx), base, 4));
#endif
  } else if constexpr (kHasFma<A>) {  // AVX2
#if XSIMD_WITH_AVX2
    return Vec<A>(_mm256_i32gather_ps(base, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(idx)), 4));
#endif
  } else {
    return gather_first<A>(base, idx, kLanes<A>);
  }
}

// The lane sums of lanes-many vectors at once: lane i of the result is the sum of v[i]'s lanes, by a
// pairwise tree of shuffles and adds (each lane's sum is combined in the same order whatever the
// other vectors hold).
template <class A>
SYN_SIMD_INLINE Vec<A> reduce_add_each(const Vec<A>* v) {
  // The last two levels, within 128-bit lanes: out[4q + r] = sum of 128-bit lane q of
  // t[{0, 2, 1, 3}[r]].
  auto within_128 = [](auto t0, auto t1, auto t2, auto t3, auto shuffle, auto add) {
    const auto u0 = add(shuffle.template operator()<_MM_SHUFFLE(1, 0, 1, 0)>(t0, t2),
                        shuffle.template operator()<_MM_SHUFFLE(3, 2, 3, 2)>(t0, t2));
    const auto u1 = add(shuffle.template operator()<_MM_SHUFFLE(1, 0, 1, 0)>(t1, t3),
                        shuffle.template operator()<_MM_SHUFFLE(3, 2, 3, 2)>(t1, t3));
    return add(shuffle.template operator()<_MM_SHUFFLE(2, 0, 2, 0)>(u0, u1),
               shuffle.template operator()<_MM_SHUFFLE(3, 1, 3, 1)>(u0, u1));
  };
  if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    auto shuffle = []<int imm>(__m512 a, __m512 b) { return _mm512_shuffle_ps(a, b, imm); };
    auto add = [](__m512 a, __m512 b) { return _mm512_add_ps(a, b); };
    // Vector e goes to slot s(e) so that the result comes out in order: 128-bit lane q of t[i]
    // holds slot i + {0, 8, 4, 12}[q] after the first two levels.
    constexpr int kSlot[16] = {0, 2, 1, 3, 8, 10, 9, 11, 4, 6, 5, 7, 12, 14, 13, 15};
    __m512 s[16];
    for (int e = 0; e < 16; ++e) s[kSlot[e]] = v[e];
    __m512 h[8];  // 256-bit halves: h[i] = [s[i] folded to 8, s[i + 8] folded to 8]
    for (int i = 0; i < 8; ++i)
      h[i] = _mm512_add_ps(_mm512_shuffle_f32x4(s[i], s[i + 8], _MM_SHUFFLE(1, 0, 1, 0)),
                           _mm512_shuffle_f32x4(s[i], s[i + 8], _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 t[4];  // 128-bit quarters: t[i] = [s[i], s[i + 8], s[i + 4], s[i + 12]] folded to 4
    for (int i = 0; i < 4; ++i)
      t[i] = _mm512_add_ps(_mm512_shuffle_f32x4(h[i], h[i + 4], _MM_SHUFFLE(2, 0, 2, 0)),
                           _mm512_shuffle_f32x4(h[i], h[i + 4], _MM_SHUFFLE(3, 1, 3, 1)));
    return Vec<A>(within_128(t[0], t[1], t[2], t[3], shuffle, add));
#endif
  } else if constexpr (kIsAvx<A>) {
#if XSIMD_WITH_AVX
    auto shuffle = []<int imm>(__m256 a, __m256 b) { return _mm256_shuffle_ps(a, b, imm); };
    auto add = [](__m256 a, __m256 b) { return _mm256_add_ps(a, b); };
    // 128-bit lane q of t[i] holds slot i + 4q after the first level.
    constexpr int kSlot[8] = {0, 2, 1, 3, 4, 6, 5, 7};
    __m256 s[8];
    for (int e = 0; e < 8; ++e) s[kSlot[e]] = v[e];
    __m256 t[4];
    for (int i = 0; i < 4; ++i)
      t[i] = _mm256_add_ps(_mm256_permute2f128_ps(s[i], s[i + 4], 0x20),
                           _mm256_permute2f128_ps(s[i], s[i + 4], 0x31));
    return Vec<A>(within_128(t[0], t[1], t[2], t[3], shuffle, add));
#endif
  } else {
    auto shuffle = []<int imm>(__m128 a, __m128 b) { return _mm_shuffle_ps(a, b, imm); };
    auto add = [](__m128 a, __m128 b) { return _mm_add_ps(a, b); };
    return Vec<A>(within_128(__m128(v[0]), __m128(v[2]), __m128(v[1]), __m128(v[3]), shuffle, add));
  }
}

}  // namespace syn::kernels::simd
