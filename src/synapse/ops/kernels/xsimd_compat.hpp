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

}  // namespace syn::kernels::simd
