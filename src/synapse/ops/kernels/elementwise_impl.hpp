#pragma once
// Every ElementwiseKernels entry, written once as a template on the xsimd arch tag `A` and instantiated by
// elementwise_sse2.cpp, elementwise_avx2.cpp and elementwise_avx512.cpp (Note [Kernel dispatch]).
// All kernels here are templates on `A`, so each instruction set gets its own symbols.
//
// Loops run whole vectors, four at a time while they last; the last n % lanes elements are copied
// into a padded stack buffer and go through the same vector code, so element i's value never
// depends on n or on where the range starts (Note [Kernel contract]).
#include "synapse/ops/kernels/elementwise_kernels.hpp"
#include "synapse/ops/kernels/simd_math.hpp"

namespace syn::kernels::simd {

// The last m < lanes elements of an array, padded to one full vector.
template <class A>
struct TailBuffer {
  alignas(64) float data[kLanes<A>];

  TailBuffer(const float* src, int64_t m, float pad) {
    for (int64_t k = 0; k < kLanes<A>; ++k) data[k] = k < m ? src[k] : pad;
  }
  Vec<A> load() const { return load_aligned<A>(data); }
  void store(const Vec<A>& v) { simd::store_aligned<A>(data, v); }
  void copy_to(float* dst, int64_t m) const {
    for (int64_t k = 0; k < m; ++k) dst[k] = data[k];
  }
};

// Calls step(i) for every whole vector at offset i (unrolled by 4), returns where the tail starts.
template <class A, class Step>
int64_t for_each_vector(int64_t n, Step step) {
  constexpr int64_t w = kLanes<A>;
  int64_t i = 0;
  for (; i + 4 * w <= n; i += 4 * w) {
    step(i);
    step(i + w);
    step(i + 2 * w);
    step(i + 3 * w);
  }
  for (; i + w <= n; i += w) step(i);
  return i;
}

// x, y: (n)  y[i] = f(x[i])
template <class A, class F>
void map_unary(const float* x, float* y, int64_t n, F f) {
  const int64_t i = for_each_vector<A>(n, [&](int64_t k) { simd::store<A>(y + k, f(load<A>(x + k))); });
  if (i == n) return;
  TailBuffer<A> t(x + i, n - i, 0.f);
  t.store(f(t.load()));
  t.copy_to(y + i, n - i);
}

// a, b, y: (n)  y[i] = f(a[i], b[i])
template <class A, class F>
void map_binary(const float* a, const float* b, float* y, int64_t n, F f) {
  const int64_t i =
      for_each_vector<A>(n, [&](int64_t k) { simd::store<A>(y + k, f(load<A>(a + k), load<A>(b + k))); });
  if (i == n) return;
  TailBuffer<A> ta(a + i, n - i, 0.f), tb(b + i, n - i, 0.f);
  ta.store(f(ta.load(), tb.load()));
  ta.copy_to(y + i, n - i);
}

// at, gy, gx: (n)  gx[i] += gy[i] * df(at[i])
template <class A, class F>
void map_grad(const float* at, const float* gy, float* gx, int64_t n, F df) {
  auto step = [&](const Vec<A>& a, const Vec<A>& g, const Vec<A>& acc) { return acc + g * df(a); };
  const int64_t i = for_each_vector<A>(
      n, [&](int64_t k) { simd::store<A>(gx + k, step(load<A>(at + k), load<A>(gy + k), load<A>(gx + k))); });
  if (i == n) return;
  TailBuffer<A> ta(at + i, n - i, 0.f), tg(gy + i, n - i, 0.f), tx(gx + i, n - i, 0.f);
  tx.store(step(ta.load(), tg.load(), tx.load()));
  tx.copy_to(gx + i, n - i);
}

// max and min as the scalar reference defines them: a NaN in either operand wins.
template <class A>
Vec<A> nan_max(const Vec<A>& a, const Vec<A>& b) {
  return select<A>((a < b) | is_nan<A>(b), b, a);
}
template <class A>
Vec<A> nan_min(const Vec<A>& a, const Vec<A>& b) {
  return select<A>((b < a) | is_nan<A>(b), b, a);
}

// ---- binary, scalar and unary kernels ---------------------------------------------------------

// a, b, y: (n)
template <class A>
void add(const float* a, const float* b, float* y, int64_t n) {
  map_binary<A>(a, b, y, n, [](const Vec<A>& u, const Vec<A>& v) { return u + v; });
}
template <class A>
void sub(const float* a, const float* b, float* y, int64_t n) {
  map_binary<A>(a, b, y, n, [](const Vec<A>& u, const Vec<A>& v) { return u - v; });
}
template <class A>
void mul(const float* a, const float* b, float* y, int64_t n) {
  map_binary<A>(a, b, y, n, [](const Vec<A>& u, const Vec<A>& v) { return u * v; });
}
template <class A>
void div(const float* a, const float* b, float* y, int64_t n) {
  map_binary<A>(a, b, y, n, [](const Vec<A>& u, const Vec<A>& v) { return u / v; });
}

// x, y: (n)  s: scalar
template <class A>
void add_scalar(const float* x, float s, float* y, int64_t n) {
  const Vec<A> vs = splat<A>(s);
  map_unary<A>(x, y, n, [&](const Vec<A>& v) { return v + vs; });
}
template <class A>
void mul_scalar(const float* x, float s, float* y, int64_t n) {
  const Vec<A> vs = splat<A>(s);
  map_unary<A>(x, y, n, [&](const Vec<A>& v) { return v * vs; });
}
template <class A>
void max_scalar(const float* x, float s, float* y, int64_t n) {
  const Vec<A> vs = splat<A>(s);
  map_unary<A>(x, y, n, [&](const Vec<A>& v) { return nan_max<A>(v, vs); });
}
template <class A>
void min_scalar(const float* x, float s, float* y, int64_t n) {
  const Vec<A> vs = splat<A>(s);
  map_unary<A>(x, y, n, [&](const Vec<A>& v) { return nan_min<A>(v, vs); });
}

// pow(x, s) lane by lane through libm's powf: general exponents are rare in the models, and
// xsimd 8.1's double-precision log2/exp2 for AVX-512 do not compile without optimisation.
template <class A>
Vec<A> pow_lanes(const Vec<A>& x, float s) {
  alignas(64) float lanes[kLanes<A>];
  simd::store_aligned<A>(lanes, x);
  for (float& v : lanes) v = __builtin_powf(v, s);
  return load_aligned<A>(lanes);
}

// x, y: (n)  y = pow(x, s) with C99 pow's special cases. The exponent is the same for every element,
// so the case analysis on s happens once per call.
template <class A>
void pow_scalar(const float* x, float s, float* y, int64_t n) {
  const Vec<A> one = splat<A>(1.f), inf = splat<A>(kInf);
  if (s != s) {  // pow(1, NaN) = 1, NaN otherwise
    map_unary<A>(x, y, n, [&](const Vec<A>& v) { return select<A>(v == one, one, splat<A>(kNan)); });
  } else if (s == 0.f) {  // pow(x, 0) = 1 even for NaN
    map_unary<A>(x, y, n, [&](const Vec<A>&) { return one; });
  } else if (s == 1.f) {
    map_unary<A>(x, y, n, [](const Vec<A>& v) { return v; });
  } else if (s == 2.f) {
    map_unary<A>(x, y, n, [](const Vec<A>& v) { return v * v; });
  } else if (s == 0.5f) {  // sqrt, except pow(-0, 0.5) = +0 and pow(-inf, 0.5) = +inf
    map_unary<A>(x, y, n,
                 [&](const Vec<A>& v) { return select<A>(v == -inf, inf, xsimd::sqrt(v) + splat<A>(0.f)); });
  } else if (s == kInf || s == -kInf) {  // 1 at |x| = 1; otherwise 0 or inf by |x| < 1 and sign of s
    const Vec<A> below_one = s > 0.f ? splat<A>(0.f) : inf, above_one = s > 0.f ? inf : splat<A>(0.f);
    map_unary<A>(x, y, n, [&](const Vec<A>& v) {
      const Vec<A> a = xsimd::abs(v);
      const Vec<A> r = select<A>(a == one, one, select<A>(a < one, below_one, above_one));
      return select<A>(is_nan<A>(v), v, r);
    });
  } else {
    map_unary<A>(x, y, n, [s](const Vec<A>& v) { return pow_lanes<A>(v, s); });
  }
}

// x, y: (n)
template <class A>
void neg(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return negate<A>(v); });
}
template <class A>
void abs(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return xsimd::abs(v); });
}
template <class A>
void exp(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return simd::exp<A>(v); });
}
template <class A>
void log(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return simd::log<A>(v); });
}
template <class A>
void sqrt(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return xsimd::sqrt(v); });
}
template <class A>
void relu(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return select<A>(v < splat<A>(0.f), splat<A>(0.f), v); });
}
template <class A>
void sigmoid(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return simd::sigmoid<A>(v); });
}
template <class A>
void tanh(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return simd::tanh<A>(v); });
}
template <class A>
void gelu(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return v * normal_at<A>(v).cdf; });
}
template <class A>
void gelu_tanh(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return v * tanh_gate<A>(v).s; });
}
template <class A>
void softplus(const float* x, float* y, int64_t n) {
  map_unary<A>(x, y, n, [](const Vec<A>& v) { return simd::softplus<A>(v); });
}

// ---- backward kernels: at, gy, gx: (n)  gx += gy * f'(at) -----------------------------------------

template <class A>
void relu_backward(const float* x, const float* gy, float* gx, int64_t n) {
  map_grad<A>(x, gy, gx, n, [](const Vec<A>& v) {  // a NaN input propagates into the gradient
    return select<A>(v > splat<A>(0.f), splat<A>(1.f), select<A>(is_nan<A>(v), v, splat<A>(0.f)));
  });
}
// The gelu derivatives are evaluated at x clamped to [-20, 20], as in the scalar reference.
template <class A>
void gelu_backward(const float* x, const float* gy, float* gx, int64_t n) {
  map_grad<A>(x, gy, gx, n, [](const Vec<A>& v) {
    const Vec<A> xc = clamp_keep_nan<A>(v, -20.f, 20.f);
    const NormalAt<A> at = normal_at<A>(xc);
    return fma<A>(xc * at.gauss, splat<A>(kInvSqrt2Pi), at.cdf);
  });
}
template <class A>
void gelu_tanh_backward(const float* x, const float* gy, float* gx, int64_t n) {
  map_grad<A>(x, gy, gx, n, [](const Vec<A>& v) {
    const Vec<A> xc = clamp_keep_nan<A>(v, -20.f, 20.f);
    const TanhGate<A> g = tanh_gate<A>(xc);
    const Vec<A> du = fma<A>(xc * xc, splat<A>(3.f * kGeluCoef * kSqrt2OverPi), splat<A>(kSqrt2OverPi));
    return fma<A>((xc + xc) * g.e * g.p * g.p, du, g.s);
  });
}
template <class A>
void softplus_backward(const float* x, const float* gy, float* gx, int64_t n) {
  map_grad<A>(x, gy, gx, n, [](const Vec<A>& v) { return simd::sigmoid<A>(v); });
}
template <class A>
void sigmoid_backward(const float* y, const float* gy, float* gx, int64_t n) {
  map_grad<A>(y, gy, gx, n, [](const Vec<A>& v) { return v * (splat<A>(1.f) - v); });
}
template <class A>
void tanh_backward(const float* y, const float* gy, float* gx, int64_t n) {
  map_grad<A>(y, gy, gx, n, [](const Vec<A>& v) { return splat<A>(1.f) - v * v; });
}

// ---- fused updates ------------------------------------------------------------------------------
// Multiply and add round separately, as in the scalar reference, so both are exact matches.

// a, b, acc: (n)  acc += a * b
template <class A>
void mul_add(const float* a, const float* b, float* acc, int64_t n) {
  map_grad<A>(a, b, acc, n, [](const Vec<A>& v) { return v; });
}
// x, y: (n)  y += alpha * x
template <class A>
void axpy(float alpha, const float* x, float* y, int64_t n) {
  const Vec<A> va = splat<A>(alpha);
  map_binary<A>(x, y, y, n, [&](const Vec<A>& u, const Vec<A>& v) { return v + va * u; });
}
// x, y: (n)  y = min(max(x, lo), hi)
template <class A>
void clamp(const float* x, float lo, float hi, float* y, int64_t n) {
  const Vec<A> vlo = splat<A>(lo), vhi = splat<A>(hi);
  map_unary<A>(x, y, n, [&](const Vec<A>& v) { return nan_min<A>(nan_max<A>(v, vlo), vhi); });
}

// ---- reductions: x: (n) -> scalar -------------------------------------------------------------
// Four vector accumulators over blocks of four vectors; the remaining whole vectors and the padded
// tail (filled with the operation's neutral element) go to accumulators 0, 1, 2, 3 in turn; then
// the accumulators and lanes are combined in a fixed order. The result depends on n only.

// fold(acc, k) folds the whole vector at k into acc, fold_tail(acc, k) the padded rest from k;
// merge(a, b) combines two accumulators.
template <class A, class Fold, class FoldTail, class Merge>
Vec<A> reduce_vectors(int64_t n, float neutral, Fold fold, FoldTail fold_tail, Merge merge) {
  constexpr int64_t w = kLanes<A>;
  Vec<A> a0 = splat<A>(neutral), a1 = a0, a2 = a0, a3 = a0;
  int64_t i = 0;
  for (; i + 4 * w <= n; i += 4 * w) {
    a0 = fold(a0, i);
    a1 = fold(a1, i + w);
    a2 = fold(a2, i + 2 * w);
    a3 = fold(a3, i + 3 * w);
  }
  Vec<A> acc[4] = {a0, a1, a2, a3};
  int64_t next = 0;
  for (; i + w <= n; i += w, ++next) acc[next] = fold(acc[next], i);
  if (i < n) acc[next] = fold_tail(acc[next], i);
  return merge(merge(acc[0], acc[1]), merge(acc[2], acc[3]));
}

template <class A>
Vec<A> plus(const Vec<A>& a, const Vec<A>& b) {
  return a + b;
}

template <class A>
float sum(const float* x, int64_t n) {
  return reduce_add<A>(reduce_vectors<A>(
      n, 0.f, [&](const Vec<A>& acc, int64_t k) { return acc + load<A>(x + k); },
      [&](const Vec<A>& acc, int64_t k) { return acc + TailBuffer<A>(x + k, n - k, 0.f).load(); }, plus<A>));
}
template <class A>
float max(const float* x, int64_t n) {
  const Vec<A> m = reduce_vectors<A>(
      n, -kInf, [&](const Vec<A>& acc, int64_t k) { return nan_max<A>(acc, load<A>(x + k)); },
      [&](const Vec<A>& acc, int64_t k) {
        return nan_max<A>(acc, TailBuffer<A>(x + k, n - k, -kInf).load());
      },
      nan_max<A>);
  alignas(64) float lanes[kLanes<A>];
  simd::store_aligned<A>(lanes, m);
  float r = lanes[0];
  for (int64_t k = 1; k < kLanes<A>; ++k) r = (r != r || r >= lanes[k]) ? r : lanes[k];
  return r;
}
// a, b: (n) -> sum a[i] * b[i]
template <class A>
float dot(const float* a, const float* b, int64_t n) {
  return reduce_add<A>(reduce_vectors<A>(
      n, 0.f, [&](const Vec<A>& acc, int64_t k) { return fma<A>(load<A>(a + k), load<A>(b + k), acc); },
      [&](const Vec<A>& acc, int64_t k) {
        return fma<A>(TailBuffer<A>(a + k, n - k, 0.f).load(), TailBuffer<A>(b + k, n - k, 0.f).load(), acc);
      },
      plus<A>));
}
// g, p, m, v, v_max: (n)  Adam, the scalar reference's operations in its order (no fma): exact.
template <class A>
void adam(const AdamStep& s, const float* g, float* p, float* m, float* v, float* v_max, int64_t n) {
  const Vec<A> beta1 = splat<A>(s.beta1), one_minus_beta1 = splat<A>(s.one_minus_beta1);
  const Vec<A> beta2 = splat<A>(s.beta2), one_minus_beta2 = splat<A>(s.one_minus_beta2);
  const Vec<A> neg_step_size = splat<A>(s.neg_step_size), bc2_sqrt = splat<A>(s.bc2_sqrt);
  const Vec<A> eps = splat<A>(s.eps), wd = splat<A>(s.wd), decay = splat<A>(s.decay);
  // One vector: the new p, with m, v (and v_max) written through the references.
  auto lane = [&](const Vec<A>& gv, Vec<A> pv, Vec<A>& mv, Vec<A>& vv, Vec<A>* vmax) {
    const Vec<A> gi = s.l2 ? gv + wd * pv : gv;
    if (s.decoupled) pv = pv * decay;
    mv = mv * beta1 + one_minus_beta1 * gi;
    vv = vv * beta2 + one_minus_beta2 * gi * gi;
    Vec<A> v_hat = vv;
    if (vmax) v_hat = *vmax = select<A>(is_nan<A>(vv), vv, select<A>(*vmax < vv, vv, *vmax));
    return pv + neg_step_size * mv / (xsimd::sqrt(v_hat) / bc2_sqrt + eps);
  };
  auto at = [&](const float* gp, float* pp, float* mp, float* vp, float* vmp) {
    Vec<A> mv = load<A>(mp), vv = load<A>(vp), vmax = vmp ? load<A>(vmp) : splat<A>(0.f);
    simd::store<A>(pp, lane(load<A>(gp), load<A>(pp), mv, vv, vmp ? &vmax : nullptr));
    simd::store<A>(mp, mv);
    simd::store<A>(vp, vv);
    if (vmp) simd::store<A>(vmp, vmax);
  };
  const int64_t i = for_each_vector<A>(
      n, [&](int64_t k) { at(g + k, p + k, m + k, v + k, v_max ? v_max + k : nullptr); });
  if (i == n) return;
  const int64_t r = n - i;
  TailBuffer<A> tg(g + i, r, 0.f), tp(p + i, r, 0.f), tm(m + i, r, 0.f), tv(v + i, r, 0.f),
      tvm(v_max ? v_max + i : nullptr, v_max ? r : 0, 0.f);
  at(tg.data, tp.data, tm.data, tv.data, v_max ? tvm.data : nullptr);
  tp.copy_to(p + i, r);
  tm.copy_to(m + i, r);
  tv.copy_to(v + i, r);
  if (v_max) tvm.copy_to(v_max + i, r);
}

// x: (n) -> sum (x[i] - mean)^2
template <class A>
float sum_sq_diff(const float* x, float mean, int64_t n) {
  const Vec<A> vm = splat<A>(mean);
  auto fold = [&](const Vec<A>& acc, const Vec<A>& v) {
    const Vec<A> d = v - vm;
    return fma<A>(d, d, acc);
  };
  return reduce_add<A>(reduce_vectors<A>(
      n, 0.f, [&](const Vec<A>& acc, int64_t k) { return fold(acc, load<A>(x + k)); },
      [&](const Vec<A>& acc, int64_t k) { return fold(acc, TailBuffer<A>(x + k, n - k, mean).load()); },
      plus<A>));
}

template <class A>
ElementwiseKernels make_elementwise_kernels(Isa isa) {
  return ElementwiseKernels{
      isa,
      add<A>,
      sub<A>,
      mul<A>,
      div<A>,
      add_scalar<A>,
      mul_scalar<A>,
      pow_scalar<A>,
      max_scalar<A>,
      min_scalar<A>,
      neg<A>,
      abs<A>,
      exp<A>,
      log<A>,
      sqrt<A>,
      relu<A>,
      sigmoid<A>,
      tanh<A>,
      gelu<A>,
      gelu_tanh<A>,
      softplus<A>,
      relu_backward<A>,
      gelu_backward<A>,
      gelu_tanh_backward<A>,
      softplus_backward<A>,
      sigmoid_backward<A>,
      tanh_backward<A>,
      mul_add<A>,
      axpy<A>,
      clamp<A>,
      adam<A>,
      sum<A>,
      max<A>,
      dot<A>,
      sum_sq_diff<A>,
  };
}

}  // namespace syn::kernels::simd
