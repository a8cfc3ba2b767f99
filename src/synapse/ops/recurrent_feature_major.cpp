#include "synapse/ops/recurrent_feature_major.hpp"

#include <cstring>
#include <utility>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/recurrent_kernels.hpp"
#include "synapse/ops/kernels/sparse_kernels.hpp"

namespace syn::detail {
namespace {

using kernels::RecurrentKernels;
using kernels::SparseKernels;

// Rows [n0, n0 + cols) of a batch-major (N, f) matrix with row stride ld -> an (f, cols) block.
void to_block(const SparseKernels& k, const float* rows, int64_t ld, int64_t cols, int64_t f, float* block) {
  k.transpose(cols, f, rows, ld, block, cols);
}
// An (f, cols) block -> rows of a batch-major matrix with row stride ld.
void from_block(const SparseKernels& k, const float* block, int64_t cols, int64_t f, float* rows, int64_t ld) {
  k.transpose(f, cols, block, cols, rows, ld);
}

}  // namespace

void feature_major_forward(const RecurrentShape& s, const float* xp, const float* h0, const float* c0,
                           const float* b_hh, const SparseWeight& w_hh, FeatureMajorSaved& saved, float* hs_out,
                           float* cs_last) {
  const RecurrentKernels& rk = kernels::recurrent_kernels();
  const SparseKernels& sk = kernels::sparse_kernels();
  const FeatureMajor fm{s.n};
  const int64_t n = s.n, hid = s.hidden, gh = s.gates;
  const bool lstm = s.cell == RecurrentCell::lstm, gru = s.cell == RecurrentCell::gru;
  saved.hs = Scratch((s.t + 1) * n * hid);
  saved.cs = Scratch(lstm ? (s.t + 1) * n * hid : 0);
  saved.gates = Scratch(s.t * n * (gru ? 4 * hid : gh));
  const MaskIndex& ix = *w_hh.ix;
  parallel_for(fm.chunks(), 1, [&](int64_t c0_, int64_t c1_) {
    for (int64_t c = c0_; c < c1_; ++c) {
      const int64_t cols = fm.cols(c), n0 = fm.begin(c);
      float* hs0 = saved.hs.data() + fm.block(0, c, hid);
      if (h0)
        to_block(sk, h0 + n0 * hid, hid, cols, hid, hs0);
      else
        std::memset(hs0, 0, sizeof(float) * hid * cols);
      if (lstm) {
        float* cs0 = saved.cs.data() + fm.block(0, c, hid);
        if (c0)
          to_block(sk, c0 + n0 * hid, hid, cols, hid, cs0);
        else
          std::memset(cs0, 0, sizeof(float) * hid * cols);
      }
      const Scratch pre_buf(gru ? gh * cols : 0);  // gru: xp block; the saved gates hold r, z, n, hp_n
      const Scratch hp(gru ? gh * cols : 0);
      for (int64_t t = 0; t < s.t; ++t) {
        const float* h_prev = saved.hs.data() + fm.block(t, c, hid);
        float* h = saved.hs.data() + fm.block(t + 1, c, hid);
        const float* xp_rows = xp + (t * n + n0) * gh;
        if (gru) {
          float* pre = pre_buf.data();
          to_block(sk, xp_rows, gh, cols, gh, pre);
          float* q = hp.data();
          for (int64_t m = 0; m < gh; ++m)
            for (int64_t j = 0; j < cols; ++j) q[m * cols + j] = b_hh[m];
          sk.spmm(0, gh, cols, ix.row_ptr.data(), ix.col.data(), w_hh.csr.data(), h_prev, cols, q, cols, true);
          rk.gru_cell(1, hid * cols, pre, q, h_prev, saved.gates.data() + fm.block(t, c, 4 * hid), h);
          continue;
        }
        // lstm and rnn: pre-activations in the saved block (lstm activates its gates in place)
        float* pre = saved.gates.data() + fm.block(t, c, gh);
        to_block(sk, xp_rows, gh, cols, gh, pre);
        sk.spmm(0, gh, cols, ix.row_ptr.data(), ix.col.data(), w_hh.csr.data(), h_prev, cols, pre, cols, true);
        if (lstm)
          rk.lstm_cell(1, hid * cols, pre, saved.cs.data() + fm.block(t, c, hid),
                       saved.cs.data() + fm.block(t + 1, c, hid), h);
        else if (s.cell == RecurrentCell::rnn_tanh)
          rk.rnn_tanh_cell(hid * cols, pre, h);
        else
          rk.rnn_relu_cell(hid * cols, pre, h);
      }
      for (int64_t t = 0; t <= s.t; ++t)
        from_block(sk, saved.hs.data() + fm.block(t, c, hid), cols, hid, hs_out + (t * n + n0) * hid, hid);
      if (lstm && cs_last)
        from_block(sk, saved.cs.data() + fm.block(s.t, c, hid), cols, hid, cs_last + n0 * hid, hid);
    }
  });
}

void feature_major_backward(const RecurrentShape& s, const FeatureMajorSaved& saved, const float* dy,
                            const float* dh_n, const float* dc_n, const SparseWeight& w_hh, float* dxp, float* dhp,
                            float* dh0, float* dc0, float* dw_hh) {
  const RecurrentKernels& rk = kernels::recurrent_kernels();
  const SparseKernels& sk = kernels::sparse_kernels();
  const FeatureMajor fm{s.n};
  const int64_t n = s.n, hid = s.hidden, gh = s.gates, nh = n * hid;
  const bool lstm = s.cell == RecurrentCell::lstm, gru = s.cell == RecurrentCell::gru;
  const MaskIndex& ix = *w_hh.ix;
  // Gate gradients, feature-major: dg (input side; also the recurrent side for lstm / rnn) and, for
  // gru, dq (the recurrent side).
  const Scratch dg(s.t * n * gh), dq(gru ? s.t * n * gh : 0);
  float* pdq = gru ? dq.data() : dg.data();
  parallel_for(fm.chunks(), 1, [&](int64_t c0_, int64_t c1_) {
    for (int64_t c = c0_; c < c1_; ++c) {
      const int64_t cols = fm.cols(c), n0 = fm.begin(c), size = hid * cols;
      const Scratch a(size), b(size), dc(lstm ? size : 0), tmp(size);
      float* dh = a.data();
      float* dh_prev = b.data();
      // dh = dy_{T-1} + dh_n;  dc = dc_n
      std::memset(dh, 0, sizeof(float) * size);
      for (const float* g : {dy ? dy + (s.t - 1) * nh : nullptr, dh_n}) {
        if (!g) continue;
        to_block(sk, g + n0 * hid, hid, cols, hid, tmp.data());
        for (int64_t e = 0; e < size; ++e) dh[e] += tmp.data()[e];
      }
      if (lstm) {
        if (dc_n)
          to_block(sk, dc_n + n0 * hid, hid, cols, hid, dc.data());
        else
          std::memset(dc.data(), 0, sizeof(float) * size);
      }
      for (int64_t t = s.t - 1; t >= 0; --t) {
        float* dgx = dg.data() + fm.block(t, c, gh);
        float* dgh = pdq + fm.block(t, c, gh);
        const float* hs_t = saved.hs.data() + fm.block(t, c, hid);
        if (lstm) {
          rk.lstm_cell_backward(1, size, saved.gates.data() + fm.block(t, c, gh),
                                saved.cs.data() + fm.block(t, c, hid), saved.cs.data() + fm.block(t + 1, c, hid),
                                dh, dc.data(), dgx);
        } else if (gru) {
          rk.gru_cell_backward(1, size, saved.gates.data() + fm.block(t, c, 4 * hid), hs_t, dh, dgx, dgh, dh_prev);
        } else {
          const float* h = saved.hs.data() + fm.block(t + 1, c, hid);
          if (s.cell == RecurrentCell::rnn_tanh)
            rk.rnn_tanh_cell_backward(size, h, dh, dgx);
          else
            rk.rnn_relu_cell_backward(size, h, dh, dgx);
        }
        if (t == 0 && !dh0) break;
        // dh_prev = dy_{t-1} (+ dh·z for gru, already written) + W_hhᵀ·dgates_h
        if (!gru) std::memset(dh_prev, 0, sizeof(float) * size);
        if (dy && t > 0) {
          to_block(sk, dy + (t - 1) * nh + n0 * hid, hid, cols, hid, tmp.data());
          for (int64_t e = 0; e < size; ++e) dh_prev[e] += tmp.data()[e];
        }
        sk.spmm(0, hid, cols, ix.col_ptr.data(), ix.row.data(), w_hh.csc.data(), dgh, cols, dh_prev, cols, true);
        std::swap(dh, dh_prev);
      }
      if (dh0) from_block(sk, dh, cols, hid, dh0 + n0 * hid, hid);
      if (lstm && dc0) from_block(sk, dc.data(), cols, hid, dc0 + n0 * hid, hid);
      for (int64_t t = 0; t < s.t; ++t) {
        from_block(sk, dg.data() + fm.block(t, c, gh), cols, gh, dxp + (t * n + n0) * gh, gh);
        if (gru) from_block(sk, dq.data() + fm.block(t, c, gh), cols, gh, dhp + (t * n + n0) * gh, gh);
      }
    }
  });
  if (!dw_hh) return;
  // dW_hh = Σ_t dq_tᵀ·h_{t-1} at live positions: an SDDMM per step and chunk, in a fixed order per
  // output row, rows split between threads.
  const int64_t per_row = std::max<int64_t>(1, ix.nnz / std::max<int64_t>(gh, 1) * n * s.t);
  parallel_for(gh, std::max<int64_t>(1, kChunkWork / per_row), [&](int64_t m0, int64_t m1) {
    for (int64_t t = 0; t < s.t; ++t)
      for (int64_t c = 0; c < fm.chunks(); ++c)
        sk.sddmm(m0, m1, fm.cols(c), ix.row_ptr.data(), ix.col.data(), pdq + fm.block(t, c, gh), fm.cols(c),
                 saved.hs.data() + fm.block(t, c, hid), fm.cols(c), dw_hh, hid);
  });
}

}  // namespace syn::detail
