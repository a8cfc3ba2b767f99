// The scalar reference of the recurrent kernels (recurrent_kernels.hpp): plain loops over libm, the
// oracle the vectorised tables are tested against and the table for CPUs without AVX2.
#include <cmath>

#include "synapse/ops/kernels/recurrent_kernels.hpp"

namespace syn::kernels {
namespace {

constexpr int64_t kScalarBlock = 8;

float sigmoid(float x) {
  if (x >= 0) return 1.f / (1.f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.f + e);
}

void matmul_packed(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b_packed,
                   int64_t panel, float* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      const float* b = b_packed + (j / panel) * k * panel + j % panel;
      float acc = c[i * ldc + j];
      for (int64_t p = 0; p < k; ++p) acc += a[i * lda + p] * b[p * panel];
      c[i * ldc + j] = acc;
    }
}

void lstm_cell(int64_t rows, int64_t hidden, float* gates, const float* c_prev, float* c, float* h) {
  for (int64_t r = 0; r < rows; ++r) {
    float* g = gates + r * 4 * hidden;
    for (int64_t j = 0; j < hidden; ++j) {
      const int64_t e = r * hidden + j;
      const float i = sigmoid(g[j]), f = sigmoid(g[hidden + j]), u = std::tanh(g[2 * hidden + j]),
                  o = sigmoid(g[3 * hidden + j]);
      g[j] = i;
      g[hidden + j] = f;
      g[2 * hidden + j] = u;
      g[3 * hidden + j] = o;
      c[e] = f * c_prev[e] + i * u;
      h[e] = o * std::tanh(c[e]);
    }
  }
}

void lstm_cell_backward(int64_t rows, int64_t hidden, const float* gates, const float* c_prev, const float* c,
                        const float* dh, float* dc, float* dgates) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = gates + r * 4 * hidden;
    float* dg = dgates + r * 4 * hidden;
    for (int64_t j = 0; j < hidden; ++j) {
      const int64_t e = r * hidden + j;
      const float i = g[j], f = g[hidden + j], u = g[2 * hidden + j], o = g[3 * hidden + j];
      const float tc = std::tanh(c[e]);
      const float dct = dc[e] + dh[e] * o * (1.f - tc * tc);
      dg[j] = dct * u * i * (1.f - i);
      dg[hidden + j] = dct * c_prev[e] * f * (1.f - f);
      dg[2 * hidden + j] = dct * i * (1.f - u * u);
      dg[3 * hidden + j] = dh[e] * tc * o * (1.f - o);
      dc[e] = dct * f;
    }
  }
}

void gru_cell(int64_t rows, int64_t hidden, const float* xp, const float* hp, const float* h_prev,
              float* gates, float* h) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* x = xp + r * 3 * hidden;
    const float* q = hp + r * 3 * hidden;
    float* g = gates + r * 4 * hidden;
    for (int64_t j = 0; j < hidden; ++j) {
      const int64_t e = r * hidden + j;
      const float rs = sigmoid(x[j] + q[j]), z = sigmoid(x[hidden + j] + q[hidden + j]);
      const float hn = q[2 * hidden + j];
      const float n = std::tanh(x[2 * hidden + j] + rs * hn);
      g[j] = rs;
      g[hidden + j] = z;
      g[2 * hidden + j] = n;
      g[3 * hidden + j] = hn;
      h[e] = n + z * (h_prev[e] - n);
    }
  }
}

void gru_cell_backward(int64_t rows, int64_t hidden, const float* gates, const float* h_prev, const float* dh,
                       float* dxp, float* dhp, float* dh_prev) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = gates + r * 4 * hidden;
    float* dx = dxp + r * 3 * hidden;
    float* dq = dhp + r * 3 * hidden;
    for (int64_t j = 0; j < hidden; ++j) {
      const int64_t e = r * hidden + j;
      const float rs = g[j], z = g[hidden + j], n = g[2 * hidden + j], hn = g[3 * hidden + j];
      const float dn = dh[e] * (1.f - z) * (1.f - n * n);
      const float dr = dn * hn * rs * (1.f - rs);
      const float dz = dh[e] * (h_prev[e] - n) * z * (1.f - z);
      dx[j] = dq[j] = dr;
      dx[hidden + j] = dq[hidden + j] = dz;
      dx[2 * hidden + j] = dn;
      dq[2 * hidden + j] = dn * rs;
      dh_prev[e] = dh[e] * z;
    }
  }
}

void rnn_tanh_cell(int64_t n, const float* pre, float* h) {
  for (int64_t i = 0; i < n; ++i) h[i] = std::tanh(pre[i]);
}
void rnn_relu_cell(int64_t n, const float* pre, float* h) {
  for (int64_t i = 0; i < n; ++i) h[i] = pre[i] < 0.f ? 0.f : pre[i];
}
void rnn_tanh_cell_backward(int64_t n, const float* h, const float* dh, float* dpre) {
  for (int64_t i = 0; i < n; ++i) dpre[i] = dh[i] * (1.f - h[i] * h[i]);
}
void rnn_relu_cell_backward(int64_t n, const float* h, const float* dh, float* dpre) {
  for (int64_t i = 0; i < n; ++i) dpre[i] = h[i] > 0.f ? dh[i] : 0.f;
}

}  // namespace

namespace scalar {
const RecurrentKernels& recurrent_kernels() {
  static const RecurrentKernels table{Isa::scalar,           kScalarBlock,
                                      matmul_packed,         lstm_cell,
                                      lstm_cell_backward,    gru_cell,
                                      gru_cell_backward,     rnn_tanh_cell,
                                      rnn_relu_cell,         rnn_tanh_cell_backward,
                                      rnn_relu_cell_backward};
  return table;
}
}  // namespace scalar

}  // namespace syn::kernels
