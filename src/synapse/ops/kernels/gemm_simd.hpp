#pragma once
// The few SIMD operations the GEMM and attention kernels use, as thin wrappers over xsimd 8.1 batch
// types, templated on the architecture tag. Only the per-ISA translation units (*_sse2.cpp,
// *_avx2.cpp, *_avx512.cpp) include this header (Note [Kernel dispatch]); every function here is a
// template on Arch, so units compiled with different flags never share an out-of-line copy.
//
// Where xsimd 8.1 falls short it is bypassed through the batch's native register:
// - xsimd::fma for avx512f is a separate multiply and add (two roundings, half the throughput), so
//   fma() calls _mm512_fmadd_ps directly; for fma3<avx2> xsimd already emits vfmadd; sse2 has no
//   FMA and gets multiply + add.
// - Partial loads and stores (the tails of rows) use AVX-512 masks, AVX maskload/maskstore, or a
//   small stack copy on SSE2.
// - 8x8 and 4x4 transposes for packing use shuffles.
#include <immintrin.h>

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <xsimd/xsimd.hpp>

namespace syn::kernels::simd {

using SseArch = xsimd::sse2;
using Avx2Arch = xsimd::fma3<xsimd::avx2>;
using Avx512Arch = xsimd::avx512f;

template <class Arch>
using Vec = xsimd::batch<float, Arch>;

template <class Arch>
inline constexpr int kLanes = static_cast<int>(Vec<Arch>::size);

template <class Arch>
inline constexpr bool kIsAvx512 = std::is_same_v<Arch, Avx512Arch>;
template <class Arch>
inline constexpr bool kIsAvx2 = std::is_same_v<Arch, Avx2Arch>;

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
  return Vec<Arch>::load_unaligned(p);
}
template <class Arch>
inline void store(float* p, Vec<Arch> v) {
  v.store_unaligned(p);
}

// a * b + c, one rounding where the ISA has FMA.
template <class Arch>
inline Vec<Arch> fma(Vec<Arch> a, Vec<Arch> b, Vec<Arch> c) {
  if constexpr (kIsAvx512<Arch>) {
    return Vec<Arch>(_mm512_fmadd_ps(a, b, c));
  } else {
    return xsimd::fma(a, b, c);
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
    return Vec<Arch>::load_aligned(tmp);
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
    v.store_aligned(tmp);
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

}  // namespace syn::kernels::simd
