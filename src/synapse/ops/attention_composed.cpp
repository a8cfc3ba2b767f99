#include "synapse/ops/attention_composed.hpp"

#include <cmath>
#include <limits>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/gemm.hpp"

namespace syn {
namespace {

using kernels::AttentionDims;
using kernels::Trans;

// bmm: per head h, C_h = op(A_h)·op(B_h) with the given per-head sizes and strides.
void bmm(int64_t heads, Trans ta, Trans tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
         int64_t a_step, const float* b, int64_t ldb, int64_t b_step, float* c, int64_t c_step) {
  parallel_for(heads, 1, [&](int64_t begin, int64_t end) {
    for (int64_t h = begin; h < end; ++h)
      kernels::gemm(ta, tb, m, n, k, 1.f, a + h * a_step, lda, b + h * b_step, ldb, 0.f, c + h * c_step, n);
  });
}

// One elementwise pass over (heads, tq, tk) into a new buffer: out = f(index, x).
template <class F>
std::vector<float> map(const std::vector<float>& x, F f) {
  std::vector<float> out(x.size());
  parallel_for(static_cast<int64_t>(x.size()), 16384, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[static_cast<size_t>(i)] = f(i, x[static_cast<size_t>(i)]);
  });
  return out;
}

bool masked(const AttentionDims& dims, int64_t flat) {
  const int64_t j = flat % dims.tk, i = flat / dims.tk % dims.tq;
  return dims.causal && j > i;
}

}  // namespace

void composed_attention_forward(const AttentionDims& dims, int64_t heads, const float* q, const float* k,
                                const float* v, float* out, std::vector<float>& probs) {
  const int64_t tt = dims.tq * dims.tk;
  std::vector<float> scores(static_cast<size_t>(heads * tt));
  bmm(heads, Trans::no, Trans::yes, dims.tq, dims.tk, dims.d, q, dims.d, dims.tq * dims.d, k, dims.d,
      dims.tk * dims.d, scores.data(), tt);
  std::vector<float> x = map(scores, [&](int64_t, float s) { return s * dims.scale; });
  if (dims.causal)
    x = map(
        x, [&](int64_t i, float s) { return masked(dims, i) ? -std::numeric_limits<float>::infinity() : s; });
  probs.assign(x.size(), 0.f);
  parallel_for(heads * dims.tq, 64, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* xr = x.data() + r * dims.tk;
      float* pr = probs.data() + r * dims.tk;
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < dims.tk; ++j) mx = std::fmax(mx, xr[j]);
      float sum = 0.f;
      for (int64_t j = 0; j < dims.tk; ++j) sum += pr[j] = std::exp(xr[j] - mx);
      for (int64_t j = 0; j < dims.tk; ++j) pr[j] /= sum;
    }
  });
  bmm(heads, Trans::no, Trans::no, dims.tq, dims.dv, dims.tk, probs.data(), dims.tk, tt, v, dims.dv,
      dims.tk * dims.dv, out, dims.tq * dims.dv);
}

void composed_attention_backward(const AttentionDims& dims, int64_t heads, const float* q, const float* k,
                                 const float* v, const std::vector<float>& probs, const float* dout,
                                 float* dq, float* dk, float* dv) {
  const int64_t tt = dims.tq * dims.tk;
  std::vector<float> dprobs(static_cast<size_t>(heads * tt));
  bmm(heads, Trans::no, Trans::yes, dims.tq, dims.tk, dims.dv, dout, dims.dv, dims.tq * dims.dv, v, dims.dv,
      dims.tk * dims.dv, dprobs.data(), tt);
  bmm(heads, Trans::yes, Trans::no, dims.tk, dims.dv, dims.tq, probs.data(), dims.tk, tt, dout, dims.dv,
      dims.tq * dims.dv, dv, dims.tk * dims.dv);
  // softmax backward: dx = p ⊙ (dp - rowsum(p ⊙ dp)).
  std::vector<float> dx(dprobs.size());
  parallel_for(heads * dims.tq, 64, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* pr = probs.data() + r * dims.tk;
      const float* gr = dprobs.data() + r * dims.tk;
      float dot = 0.f;
      for (int64_t j = 0; j < dims.tk; ++j) dot += pr[j] * gr[j];
      for (int64_t j = 0; j < dims.tk; ++j) dx[static_cast<size_t>(r * dims.tk + j)] = pr[j] * (gr[j] - dot);
    }
  });
  if (dims.causal) dx = map(dx, [&](int64_t i, float g) { return masked(dims, i) ? 0.f : g; });
  const std::vector<float> dscores = map(dx, [&](int64_t, float g) { return g * dims.scale; });
  bmm(heads, Trans::no, Trans::no, dims.tq, dims.d, dims.tk, dscores.data(), dims.tk, tt, k, dims.d,
      dims.tk * dims.d, dq, dims.tq * dims.d);
  bmm(heads, Trans::yes, Trans::no, dims.tk, dims.d, dims.tq, dscores.data(), dims.tk, tt, q, dims.d,
      dims.tq * dims.d, dk, dims.tk * dims.d);
}

}  // namespace syn
