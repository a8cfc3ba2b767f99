#pragma once
// Vectorised float math for the kernels: exp, log, tanh, sigmoid, softplus, the normal CDF behind
// gelu, and pow. Cephes-style range reduction with FMA polynomials; the erfc polynomial was fitted
// for this file (minimax in relative error). Templates on the xsimd arch tag only
// (Note [Kernel dispatch]); measured accuracy is in Note [Kernel contract].
//
// Special values follow IEEE and libm: NaN in gives NaN out, exp(-inf) = 0, exp(+inf) = +inf,
// log(0) = -inf, log(x < 0) = NaN, results that underflow come out as denormals.
#include "synapse/ops/kernels/xsimd_compat.hpp"

namespace syn::kernels::simd {

inline constexpr float kInf = __builtin_inff();
inline constexpr float kNan = __builtin_nanf("");
inline constexpr float kLog2e = 1.44269504088896341f;
// ln 2 split so that n * kLn2Hi is exact for |n| < 2^15 (Cephes).
inline constexpr float kLn2Hi = 0.693359375f;
inline constexpr float kLn2Lo = -2.12194440e-4f;
inline constexpr float kSqrtHalf = 0.707106781186547524f;
inline constexpr float kSqrt2OverPi = 0.7978845608028654f;  // sqrt(2/pi), gelu_tanh
inline constexpr float kGeluCoef = 0.044715f;               // gelu_tanh cubic coefficient
inline constexpr float kInvSqrt2Pi = 0.3989422804014327f;   // 1/sqrt(2*pi)

// Horner evaluation of c[0] * v^(N-1) + ... + c[N-1] (highest degree first, as Cephes lists them).
template <class A, int N>
Vec<A> horner(const Vec<A>& v, const float (&c)[N]) {
  Vec<A> acc = splat<A>(c[0]);
  for (int k = 1; k < N; ++k) acc = fma<A>(acc, v, splat<A>(c[k]));
  return acc;
}

// NaN-preserving clamp to [lo, hi] (a NaN compares false and passes through).
template <class A>
Vec<A> clamp_keep_nan(const Vec<A>& x, float lo, float hi) {
  const Vec<A> up = select<A>(x > splat<A>(hi), splat<A>(hi), x);
  return select<A>(up < splat<A>(lo), splat<A>(lo), up);
}

// e^x. Exponent 2^n applied as 2^(n/2) * 2^(n - n/2), so that results down to the smallest
// denormal round once and results above FLT_MAX overflow to +inf.
template <class A>
SYN_SIMD_INLINE Vec<A> exp(const Vec<A>& x_in) {
  static constexpr float kPoly[] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
                                    4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
  const Vec<A> x = clamp_keep_nan<A>(x_in, -104.f, 89.f);
  const IVec<A> n = round_to_int<A>(x * splat<A>(kLog2e));
  const Vec<A> nf = to_float<A>(n);
  Vec<A> r = fnma<A>(nf, splat<A>(kLn2Hi), x);
  r = fnma<A>(nf, splat<A>(kLn2Lo), r);
  const Vec<A> p = fma<A>(horner<A>(r, kPoly), r * r, r) + splat<A>(1.f);
  const IVec<A> n1 = n >> 1;
  const IVec<A> n2 = n - n1;
  const Vec<A> s1 = float_from_bits<A>((n1 + IVec<A>(127)) << 23);
  const Vec<A> s2 = float_from_bits<A>((n2 + IVec<A>(127)) << 23);
  return p * s1 * s2;
}

// ln(x) for finite x > 0 that is not denormal (no special values); the result is ln(x) + 2^(-23)
// scaling taken back through `exponent_bias` (0, or -23 for inputs that were scaled by 2^23).
template <class A>
SYN_SIMD_INLINE Vec<A> log_normal_positive(const Vec<A>& x, const Vec<A>& exponent_bias) {
  static constexpr float kPoly[] = {7.0376836292e-2f,  -1.1514610310e-1f, 1.1676998740e-1f,
                                    -1.2420140846e-1f, 1.4249322787e-1f,  -1.6668057665e-1f,
                                    2.0000714765e-1f,  -2.4999993993e-1f, 3.3333331174e-1f};
  const IVec<A> bits = bits_of<A>(x);
  Vec<A> e = to_float<A>((bits >> 23) - IVec<A>(126)) + exponent_bias;
  Vec<A> m = float_from_bits<A>((bits & IVec<A>(0x007fffff)) | IVec<A>(0x3f000000));  // [0.5, 1)
  const Mask<A> below = m < splat<A>(kSqrtHalf);
  e = select<A>(below, e - splat<A>(1.f), e);
  m = select<A>(below, m + m, m) - splat<A>(1.f);  // in [sqrt(1/2) - 1, sqrt(2) - 1), exact
  const Vec<A> z = m * m;
  Vec<A> y = m * z * horner<A>(m, kPoly);
  y = fma<A>(e, splat<A>(kLn2Lo), y);
  y = fnma<A>(splat<A>(0.5f), z, y);
  return fma<A>(e, splat<A>(kLn2Hi), m + y);
}

// ln(x): denormals are scaled into the normal range first; ln(+-0) = -inf, ln(+inf) = +inf,
// ln(x < 0) = NaN.
template <class A>
SYN_SIMD_INLINE Vec<A> log(const Vec<A>& x) {
  const Mask<A> tiny = x < splat<A>(1.17549435e-38f);  // below FLT_MIN (zero and negatives too)
  const Vec<A> scaled = select<A>(tiny, x * splat<A>(8388608.f), x);
  Vec<A> y = log_normal_positive<A>(scaled, select<A>(tiny, splat<A>(-23.f), splat<A>(0.f)));
  y = select<A>(x == splat<A>(kInf), x, y);
  y = select<A>(x == splat<A>(0.f), splat<A>(-kInf), y);
  y = select<A>(x < splat<A>(0.f), splat<A>(kNan), y);
  return select<A>(is_nan<A>(x), x, y);
}

// ln(1 + e) for e in [0, 1]: ln(u) for the rounded u = 1 + e, corrected by the rounding error of u.
template <class A>
SYN_SIMD_INLINE Vec<A> log1p_unit(const Vec<A>& e) {
  const Vec<A> u = e + splat<A>(1.f);
  return log_normal_positive<A>(u, splat<A>(0.f)) + (e - (u - splat<A>(1.f))) / u;
}

// tanh(x): odd polynomial below |x| = 0.625 (Cephes), (1 - e) / (1 + e) with e = exp(-2|x|) above.
template <class A>
SYN_SIMD_INLINE Vec<A> tanh(const Vec<A>& x) {
  static constexpr float kPoly[] = {-5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f,
                                    1.33314422036e-1f, -3.33332819422e-1f};
  const Vec<A> a = xsimd::abs(x);
  const Vec<A> s = x * x;
  const Vec<A> small = fma<A>(horner<A>(s, kPoly) * s, x, x);
  const Vec<A> e = exp<A>(a * splat<A>(-2.f));
  const Vec<A> large = (splat<A>(1.f) - e) / (splat<A>(1.f) + e);
  return select<A>(a < splat<A>(0.625f), small, select<A>(x < splat<A>(0.f), negate<A>(large), large));
}

// 1 / (1 + exp(-x)), computed from e = exp(-|x|) so that neither side overflows or cancels.
template <class A>
SYN_SIMD_INLINE Vec<A> sigmoid(const Vec<A>& x) {
  const Vec<A> e = exp<A>(negate<A>(xsimd::abs(x)));
  return select<A>(x >= splat<A>(0.f), splat<A>(1.f), e) / (splat<A>(1.f) + e);
}

// ln(1 + exp(x)) = max(x, 0) + ln(1 + exp(-|x|)).
template <class A>
SYN_SIMD_INLINE Vec<A> softplus(const Vec<A>& x) {
  const Vec<A> positive = select<A>(x > splat<A>(0.f), x, splat<A>(0.f));
  return positive + log1p_unit<A>(exp<A>(negate<A>(xsimd::abs(x))));
}

// The standard normal distribution at x: cdf = P(X <= x) and exp(-x^2 / 2) (pdf * sqrt(2 pi)).
template <class A>
struct NormalAt {
  Vec<A> cdf, gauss;
};

// cdf(x) = erfc(-x / sqrt 2) / 2 with erfc(z) = exp(-z^2) * t * Q(t), t = 1 / (1 + z / 2) for
// z >= 0 (Q fitted over all of t in (0, 1], relative error 1.1e-8) and erfc(-z) = 2 - erfc(z).
// x^2 / 2 is carried with its rounding error, since exp(-x^2 / 2) magnifies it by up to 200.
template <class A>
SYN_SIMD_INLINE NormalAt<A> normal_at(const Vec<A>& x_in) {
  static constexpr float kQ[] = {4.235319173e-02f, -2.308603827e-01f, 4.861841196e-01f, -4.469829950e-01f,
                                 1.270929574e-01f, -5.723382119e-02f, 9.300089217e-02f, 1.753767912e-01f,
                                 2.468805887e-01f, 2.820938526e-01f,  2.820947948e-01f};
  const Vec<A> x = clamp_keep_nan<A>(x_in, -20.f, 20.f);  // cdf is 0 or 1 in float beyond
  const Vec<A> sq = x * x;
  const Vec<A> sq_err = two_product_error<A>(x, x, sq);
  const Vec<A> g0 = exp<A>(sq * splat<A>(-0.5f));
  const Vec<A> gauss = fnma<A>(g0, sq_err * splat<A>(0.5f), g0);
  const Vec<A> t = splat<A>(1.f) / fma<A>(xsimd::abs(x), splat<A>(0.35355339059327373f), splat<A>(1.f));
  const Vec<A> half_erfc = gauss * t * horner<A>(t, kQ) * splat<A>(0.5f);
  return {select<A>(x < splat<A>(0.f), half_erfc, splat<A>(1.f) - half_erfc), gauss};
}

// The gelu_tanh inner value u = sqrt(2/pi) (x + 0.044715 x^3) and sigmoid(2u) = (1 + tanh u) / 2,
// with e = exp(-|2u|) and p = 1 / (1 + e): sigmoid(2u) = p or e p, sigmoid(2u) sigmoid(-2u) = e p^2.
template <class A>
struct TanhGate {
  Vec<A> s, e, p;
};
template <class A>
SYN_SIMD_INLINE TanhGate<A> tanh_gate(const Vec<A>& x) {
  const Vec<A> u = x * fma<A>(x * x, splat<A>(kSqrt2OverPi * kGeluCoef), splat<A>(kSqrt2OverPi));
  const Vec<A> e = exp<A>(xsimd::abs(u) * splat<A>(-2.f));
  const Vec<A> p = splat<A>(1.f) / (splat<A>(1.f) + e);
  return {select<A>(u >= splat<A>(0.f), p, e * p), e, p};
}

}  // namespace syn::kernels::simd
