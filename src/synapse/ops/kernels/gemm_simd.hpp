#pragma once
// The few SIMD operations the GEMM and attention kernels use, as thin wrappers over xsimd 8.1 batch
// types, templated on the architecture tag. Only the per-ISA translation units (*_scalar.cpp,
// *_sse2.cpp, *_avx2.cpp, *_avx512.cpp) include this header (Note [Kernel dispatch]); every
// function here is a template on Arch, so units compiled with different flags never share an
// out-of-line copy. ScalarArch is a one-lane stand-in (plain floats, libm exp) so that the same
// kernel templates also give the scalar implementations.
//
// Where xsimd 8.1 falls short it is bypassed through the batch's native register:
// - xsimd::fma for avx512f is a separate multiply and add (two roundings, half the throughput), so
//   fma() calls _mm512_fmadd_ps directly; for fma3<avx2> xsimd already emits vfmadd; sse2 has no
//   FMA and gets multiply + add.
// - Partial loads and stores (the tails of rows) use AVX-512 masks, AVX maskload/maskstore, or a
//   small stack copy on SSE2.
// - 8x8 and 4x4 transposes for packing use shuffles.
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

namespace syn::kernels::simd {

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

template <class Arch>
struct VecOf {
  using type = xsimd::batch<float, Arch>;
};
template <>
struct VecOf<ScalarArch> {
  using type = ScalarVec;
};
template <class Arch>
using Vec = typename VecOf<Arch>::type;

template <class Arch>
inline constexpr bool kIsScalar = std::is_same_v<Arch, ScalarArch>;
template <class Arch>
inline constexpr bool kIsAvx512 = std::is_same_v<Arch, Avx512Arch>;
template <class Arch>
inline constexpr bool kIsAvx2 = std::is_same_v<Arch, Avx2Arch>;

template <class Arch>
constexpr int lanes() {
  if constexpr (kIsScalar<Arch>) {
    return 1;
  } else {
    return static_cast<int>(Vec<Arch>::size);
  }
}
template <class Arch>
inline constexpr int kLanes = lanes<Arch>();

template <class Arch>
inline Vec<Arch> zero() {
  return Vec<Arch>(0.f);
}
template <class Arch>
inline Vec<Arch> broadcast(float x) {
  return Vec<Arch>(x);
}
template <class Arch>
inline Vec<Arch> load(const float* p) {
  if constexpr (kIsScalar<Arch>) {
    return ScalarVec(*p);
  } else {
    return Vec<Arch>::load_unaligned(p);
  }
}
template <class Arch>
inline void store(float* p, Vec<Arch> v) {
  if constexpr (kIsScalar<Arch>) {
    *p = v.x;
  } else {
    v.store_unaligned(p);
  }
}

// a * b + c, one rounding where the ISA has FMA (scalar: multiply, then add).
template <class Arch>
inline Vec<Arch> fma(Vec<Arch> a, Vec<Arch> b, Vec<Arch> c) {
  if constexpr (kIsAvx512<Arch>) {
    return Vec<Arch>(_mm512_fmadd_ps(a, b, c));
  } else if constexpr (kIsScalar<Arch>) {
    return a * b + c;
  } else {
    return xsimd::fma(a, b, c);
  }
}

// Lane-wise e^x (xsimd's polynomial; libm for ScalarArch). NaN in, NaN out.
template <class Arch>
inline Vec<Arch> exp(Vec<Arch> v) {
  if constexpr (kIsScalar<Arch>) {
    return ScalarVec(std::exp(v.x));
  } else {
    return xsimd::exp(v);
  }
}

// Sum of the lanes.
template <class Arch>
inline float hsum(Vec<Arch> v) {
  if constexpr (kIsScalar<Arch>) {
    return v.x;
  } else {
    return xsimd::hadd(v);
  }
}

// Maximum of the lanes. A NaN lane may be dropped: callers let NaN reach the output through
// other arithmetic (attention: e^(s - max) is NaN for a NaN score whatever the maximum).
template <class Arch>
inline float hmax(Vec<Arch> v) {
  if constexpr (kIsScalar<Arch>) {
    return v.x;
  } else if constexpr (kIsAvx512<Arch>) {
    return _mm512_reduce_max_ps(v);
  } else {
    __m128 m;
    if constexpr (kIsAvx2<Arch>) {
      m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    } else {
      m = v;
    }
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
  }
}

// Lane-wise maximum (which operand a NaN lane yields is unspecified, as for hmax).
template <class Arch>
inline Vec<Arch> max(Vec<Arch> a, Vec<Arch> b) {
  if constexpr (kIsScalar<Arch>) {
    return ScalarVec(a.x >= b.x ? a.x : b.x);
  } else {
    return xsimd::max(a, b);
  }
}

// v with lanes n, n+1, ... replaced by `fill` (n <= 0: all of them; n >= lanes: none).
template <class Arch>
inline Vec<Arch> keep_first(Vec<Arch> v, int n, float fill) {
  if (n >= kLanes<Arch>) return v;
  if (n <= 0) return simd::broadcast<Arch>(fill);
  if constexpr (kIsAvx512<Arch>) {
    return Vec<Arch>(_mm512_mask_blend_ps(static_cast<__mmask16>((1u << n) - 1u), _mm512_set1_ps(fill), v));
  } else {
    alignas(64) float t[kLanes<Arch>];
    simd::store<Arch>(t, v);
    for (int i = n; i < kLanes<Arch>; ++i) t[i] = fill;
    return simd::load<Arch>(t);
  }
}

// Lane mask for the first n of 8 lanes (AVX maskload/maskstore take the sign bit of 32-bit ints).
template <class Arch>
inline __m256i first_lanes_mask8(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// The first n lanes from p (0 <= n <= lanes), the rest zero; never reads past p[n-1].
template <class Arch>
inline Vec<Arch> load_first(const float* p, int n) {
  if constexpr (kIsAvx512<Arch>) {
    return Vec<Arch>(_mm512_maskz_loadu_ps(static_cast<__mmask16>((1u << n) - 1u), p));
  } else if constexpr (kIsAvx2<Arch>) {
    return Vec<Arch>(_mm256_maskload_ps(p, first_lanes_mask8<Arch>(n)));
  } else {
    alignas(64) float tmp[kLanes<Arch>] = {};
    std::memcpy(tmp, p, sizeof(float) * static_cast<size_t>(n));
    return simd::load<Arch>(tmp);
  }
}

// Stores the first n lanes of v to p (0 <= n <= lanes); never writes past p[n-1].
template <class Arch>
inline void store_first(float* p, Vec<Arch> v, int n) {
  if constexpr (kIsAvx512<Arch>) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << n) - 1u), v);
  } else if constexpr (kIsAvx2<Arch>) {
    _mm256_maskstore_ps(p, first_lanes_mask8<Arch>(n), v);
  } else {
    alignas(64) float tmp[kLanes<Arch>];
    simd::store<Arch>(tmp, v);
    std::memcpy(p, tmp, sizeof(float) * static_cast<size_t>(n));
  }
}

// Square block transposes for packing: dst[c * ld_dst + r] = src[r * ld_src + c].
template <class Arch>
inline constexpr int kTransposeBlock = kLanes<Arch> == 4 ? 4 : 8;

template <class Arch>
inline void transpose_block(const float* src, int64_t ld_src, float* dst, int64_t ld_dst) {
  if constexpr (kTransposeBlock<Arch> == 8) {
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
template <class Arch>
inline void transpose(const float* src, int64_t ld_src, int64_t rows, int64_t cols, float* dst,
                      int64_t ld_dst) {
  if constexpr (kIsScalar<Arch>) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) dst[c * ld_dst + r] = src[r * ld_src + c];
  } else {
    constexpr int kB = kTransposeBlock<Arch>;
    const int64_t rows_b = rows - rows % kB, cols_b = cols - cols % kB;
    for (int64_t r = 0; r < rows_b; r += kB) {
      for (int64_t c = 0; c < cols_b; c += kB)
        transpose_block<Arch>(src + r * ld_src + c, ld_src, dst + c * ld_dst + r, ld_dst);
      for (int64_t c = cols_b; c < cols; ++c)
        for (int64_t i = r; i < r + kB; ++i) dst[c * ld_dst + i] = src[i * ld_src + c];
    }
    for (int64_t r = rows_b; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) dst[c * ld_dst + r] = src[r * ld_src + c];
  }
}

}  // namespace syn::kernels::simd
