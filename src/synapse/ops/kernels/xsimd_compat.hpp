#pragma once
// The SIMD vocabulary of every kernel family, and the one header that includes xsimd (Debian ships
// xsimd 8.1.0). Kernels use xsimd's batch types, arithmetic operators and comparisons directly;
// every other xsimd call goes through the wrappers below so that a newer xsimd only needs changes
// here. Where 8.1 is wrong or slow for our purpose the wrapper uses intrinsics: its fma is an
// unfused a*b+c on AVX-512; partial loads and stores (row tails) use AVX-512 masks, AVX
// maskload/maskstore or a small stack copy on SSE2; packing transposes use shuffles. Two traps:
// operator!= is false for NaN on AVX and AVX-512 (use is_nan()), and unary minus maps +0 to +0 on
// AVX-512 (use negate()).
//
// ScalarArch is a one-lane stand-in (plain floats, libm exp) so that the gemm and attention
// templates also give scalar implementations; the wrappers marked "any arch" accept it, the rest
// (masks, integer lanes, the math of simd_math.hpp) take xsimd tags only.
//
// Only the per-ISA translation units (<family>_<isa>.cpp) include this header. Every function here
// is a template on the architecture tag `A`, so each instruction set's instantiations are distinct
// symbols that the linker cannot mix up (Note [Kernel dispatch]).
//
// GCC 12 reports -W(maybe-)uninitialized inside its own AVX-512 intrinsic headers (the
// _mm512_undefined_* pass-through operands) wherever xsimd's exp is inlined; the state of a
// diagnostic pragma follows the location it is reported at, so it is silenced for these headers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <xsimd/xsimd.hpp>
#pragma GCC diagnostic pop

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

// For the math routines the kernels' loops call once per vector: GCC otherwise keeps the larger ones
// out of line on SSE2 and reloads every constant per call.
#define SYN_SIMD_INLINE inline __attribute__((always_inline))

namespace syn::kernels::simd {

// The tags the per-ISA units instantiate with (elementwise uses xsimd::avx512bw for AVX-512).
struct ScalarArch {};
using SseArch = xsimd::sse2;
using Avx2Arch = xsimd::fma3<xsimd::avx2>;
using Avx512Arch = xsimd::avx512f;

// One lane, for ScalarArch.
struct ScalarVec {
  float x;
  ScalarVec() = default;
  explicit ScalarVec(float v) : x(v) {}
  friend ScalarVec operator+(ScalarVec a, ScalarVec b) { return ScalarVec(a.x + b.x); }
  friend ScalarVec operator-(ScalarVec a, ScalarVec b) { return ScalarVec(a.x - b.x); }
  friend ScalarVec operator*(ScalarVec a, ScalarVec b) { return ScalarVec(a.x * b.x); }
};

template <class A>
struct VecOf {
  using type = xsimd::batch<float, A>;
};
template <>
struct VecOf<ScalarArch> {
  using type = ScalarVec;
};
// Float lanes (any arch), lane masks and int32 lanes (xsimd tags).
template <class A>
using Vec = typename VecOf<A>::type;
template <class A>
using Mask = xsimd::batch_bool<float, A>;
template <class A>
using IVec = xsimd::batch<int32_t, A>;

template <class A>
inline constexpr bool kIsScalar = std::is_same_v<A, ScalarArch>;
// Which family the tag belongs to: 512-bit, 256-bit or (otherwise) 128-bit SSE registers.
template <class A>
inline constexpr bool kIsAvx512 = std::is_base_of_v<xsimd::avx512f, A>;
template <class A>
inline constexpr bool kIsAvx = std::is_base_of_v<xsimd::avx, A>;
// Whether the instruction set has fused multiply-add (the AVX2 tables are AVX2+FMA).
template <class A>
inline constexpr bool kHasFma = kIsAvx512<A> || std::is_base_of_v<xsimd::fma3<xsimd::avx2>, A>;

// Floats per vector (any arch).
template <class A>
inline constexpr int64_t kLanes = [] {
  if constexpr (kIsScalar<A>) {
    return int64_t{1};
  } else {
    return static_cast<int64_t>(Vec<A>::size);
  }
}();

// Any arch.
template <class A>
Vec<A> splat(float v) {
  return Vec<A>(v);
}
template <class A>
Vec<A> load(const float* p) {
  if constexpr (kIsScalar<A>) {
    return ScalarVec(*p);
  } else {
    return Vec<A>::load_unaligned(p);
  }
}
template <class A>
void store(float* p, const Vec<A>& v) {
  if constexpr (kIsScalar<A>) {
    *p = v.x;
  } else {
    v.store_unaligned(p);
  }
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

// a * b + c with a single rounding where the instruction set has FMA, two roundings otherwise (any
// arch; ScalarArch: multiply, then add).
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

// Sum of the lanes (xsimd 8.1: hadd; later versions: reduce_add); on AVX-512 GCC's tree of halves,
// _mm512_reduce_add_ps. Not xsimd's hadd on AVX-512: it goes through avx2-tagged batches, whose
// out-of-line copies in unoptimised builds would be AVX-512 code under the same symbols as the AVX2
// unit's.
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

// Lane-wise e^x with xsimd's polynomial (libm for ScalarArch), for the attention kernels; NaN in, NaN
// out. The elementwise kernels' exp is simd_math.hpp's.
template <class A>
inline Vec<A> xsimd_exp(Vec<A> v) {
  if constexpr (kIsScalar<A>) {
    return ScalarVec(std::exp(v.x));
  } else {
    return xsimd::exp(v);
  }
}

// Sum of the lanes in xsimd 8.1 hadd's order (any arch). On AVX-512 that is the upper and lower 256
// bits added, then the 128-bit halves, then adjacent pairs, which differs from reduce_add()'s last
// step (both are fixed per ISA: Note [Determinism]); written with intrinsics there because xsimd's
// goes through avx2-tagged batches (see reduce_add). Elsewhere the two are the same.
template <class A>
inline float hadd(Vec<A> v) {
  if constexpr (kIsScalar<A>) {
    return v.x;
  } else if constexpr (kIsAvx512<A>) {
#if XSIMD_WITH_AVX512F
    const __m256 r = _mm256_add_ps(_mm512_extractf32x8_ps(v, 1), _mm512_extractf32x8_ps(v, 0));
    __m256 t = _mm256_add_ps(r, _mm256_permute2f128_ps(r, r, 1));
    t = _mm256_hadd_ps(t, t);
    t = _mm256_hadd_ps(t, t);
    return _mm_cvtss_f32(_mm256_castps256_ps128(t));
#endif
  } else {
    return xsimd::hadd(v);
  }
}

// Maximum of the lanes (any arch). A NaN lane may be dropped: callers let NaN reach the output through
// other arithmetic (attention: e^(s - max) is NaN for a NaN score whatever the maximum).
template <class A>
inline float hmax(Vec<A> v) {
  if constexpr (kIsScalar<A>) {
    return v.x;
  } else if constexpr (kIsAvx512<A>) {
    return _mm512_reduce_max_ps(v);
  } else {
    __m128 m;
    if constexpr (kIsAvx<A>) {
      m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    } else {
      m = v;
    }
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
  }
}

// Lane-wise maximum (any arch; which operand a NaN lane yields is unspecified, as for hmax).
template <class A>
inline Vec<A> max(Vec<A> a, Vec<A> b) {
  if constexpr (kIsScalar<A>) {
    return ScalarVec(a.x >= b.x ? a.x : b.x);
  } else {
    return xsimd::max(a, b);
  }
}

// v with lanes n, n+1, ... replaced by `fill` (n <= 0: all of them; n >= lanes: none); xsimd tags.
template <class A>
inline Vec<A> keep_first(Vec<A> v, int n, float fill) {
  if (n >= kLanes<A>) return v;
  if (n <= 0) return simd::splat<A>(fill);
  if constexpr (kIsAvx512<A>) {
    return Vec<A>(_mm512_mask_blend_ps(static_cast<__mmask16>((1u << n) - 1u), _mm512_set1_ps(fill), v));
  } else {
    alignas(64) float t[kLanes<A>];
    simd::store<A>(t, v);
    for (int i = n; i < kLanes<A>; ++i) t[i] = fill;
    return simd::load<A>(t);
  }
}

// Lane mask for the first n of 8 lanes (AVX maskload/maskstore take the sign bit of 32-bit ints).
template <class A>
inline __m256i first_lanes_mask8(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// The first n lanes from p (0 <= n <= lanes), the rest zero; never reads past p[n-1].
template <class A>
inline Vec<A> load_first(const float* p, int n) {
  if constexpr (kIsAvx512<A>) {
    return Vec<A>(_mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p));
  } else if constexpr (kIsAvx<A>) {
    return Vec<A>(_mm256_maskload_ps(p, first_lanes_mask8<A>(n)));
  } else {
    alignas(64) float tmp[kLanes<A>] = {};
    std::memcpy(tmp, p, sizeof(float) * static_cast<size_t>(n));
    return simd::load<A>(tmp);
  }
}

// Stores the first n lanes of v to p (0 <= n <= lanes); never writes past p[n-1].
template <class A>
inline void store_first(float* p, Vec<A> v, int n) {
  if constexpr (kIsAvx512<A>) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
  } else if constexpr (kIsAvx<A>) {
    _mm256_maskstore_ps(p, first_lanes_mask8<A>(n), v);
  } else {
    alignas(64) float tmp[kLanes<A>];
    simd::store<A>(tmp, v);
    std::memcpy(p, tmp, sizeof(float) * static_cast<size_t>(n));
  }
}

// Square block transposes for packing: dst[c * ld_dst + r] = src[r * ld_src + c].
template <class A>
inline constexpr int kTransposeBlock = kLanes<A> == 4 ? 4 : 8;

template <class A>
SYN_SIMD_INLINE void transpose_block(const float* src, int64_t ld_src, float* dst, int64_t ld_dst) {
  if constexpr (kTransposeBlock<A> == 8) {
#if defined(__AVX2__)
    __m256 r[8], t[8];
    for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * ld_src);
    for (int i = 0; i < 4; ++i) {
      t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; ++i) {
      for (int j = 0; j < 2; ++j) {
        const __m256 lo = t[4 * i + j], hi = t[4 * i + j + 2];
        r[4 * i + 2 * j] = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 2 * j + 1] = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 2, 3, 2));
      }
    }
    for (int i = 0; i < 4; ++i) {
      _mm256_storeu_ps(dst + i * ld_dst, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
      _mm256_storeu_ps(dst + (i + 4) * ld_dst, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
    }
#endif
  } else {
    __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + ld_src);
    __m128 r2 = _mm_loadu_ps(src + 2 * ld_src), r3 = _mm_loadu_ps(src + 3 * ld_src);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst, r0);
    _mm_storeu_ps(dst + ld_dst, r1);
    _mm_storeu_ps(dst + 2 * ld_dst, r2);
    _mm_storeu_ps(dst + 3 * ld_dst, r3);
  }
}

// dst[c * ld_dst + r] = src[r * ld_src + c] for r < rows, c < cols: blocks, then scalar edges.
template <class A>
inline void transpose(const float* src, int64_t ld_src, int64_t rows, int64_t cols, float* dst,
                      int64_t ld_dst) {
  if constexpr (kIsScalar<A>) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) dst[c * ld_dst + r] = src[r * ld_src + c];
  } else {
    constexpr int kB = kTransposeBlock<A>;
    const int64_t rows_b = rows - rows % kB, cols_b = cols - cols % kB;
    for (int64_t r = 0; r < rows_b; r += kB) {
      for (int64_t c = 0; c < cols_b; c += kB)
        transpose_block<A>(src + r * ld_src + c, ld_src, dst + c * ld_dst + r, ld_dst);
      for (int64_t c = cols_b; c < cols; ++c)
        for (int64_t i = r; i < r + kB; ++i) dst[c * ld_dst + i] = src[i * ld_src + c];
    }
    for (int64_t r = rows_b; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) dst[c * ld_dst + r] = src[r * ld_src + c];
  }
}

// ---- Gathers and many-vector sums (sparse_impl.hpp) ----

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
