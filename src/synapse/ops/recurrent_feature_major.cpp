#include "synapse/ops/recurrent_feature_major.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"
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

// The step's input-side block (G·H, cols) of chunk c: from xp's rows, or bias + W_ih·x computed here
// (x_block: a scratch of I·cols floats).
void input_block(const SparseKernels& sk, const RecurrentShape& s, const FeatureMajor& fm, const float* xp,
                 const FeatureMajorInput* input, int64_t t, int64_t c, float* x_block, float* pre) {
  const int64_t cols = fm.cols(c), n0 = fm.begin(c), gh = s.gates;
  if (!input) {
    to_block(sk, xp + (t * s.n + n0) * gh, gh, cols, gh, pre);
    return;
  }
  to_block(sk, input->x_tm + (t * s.n + n0) * input->in, input->in, cols, input->in, x_block);
  for (int64_t m = 0; m < gh; ++m) std::fill_n(pre + m * cols, cols, input->bias[m]);
  const SparseWeight& w = *input->w_ih;
  w.spmm(false, 0, w.units(false), cols, x_block, cols, pre, cols, true);
}

// Gate blocks (T steps of F features per entry) as rows over every step and entry: rows (F, ld),
// entry t·N + b of row f at rows[f·ld + t·N + b] (memcpy of each block row).
Scratch block_rows(const FeatureMajor& fm, int64_t steps, int64_t f, const float* blocks, int64_t ld) {
  Scratch rows(f * ld);
  parallel_for(f, std::max<int64_t>(1, kChunkWork / std::max<int64_t>(steps * fm.n, 1)), [&](int64_t f0, int64_t f1) {
    for (int64_t r = f0; r < f1; ++r)
      for (int64_t t = 0; t < steps; ++t)
        for (int64_t c = 0; c < fm.chunks(); ++c)
          std::memcpy(rows.data() + r * ld + t * fm.n + fm.begin(c), blocks + fm.block(t, c, f) + r * fm.cols(c),
                      sizeof(float) * fm.cols(c));
  });
  return rows;
}

// db[m] += the sum of row m of rows (M, n), row stride ld.
void add_row_sums(int64_t m, int64_t n, const float* rows, int64_t ld, float* db) {
  const auto& ek = kernels::elementwise_kernels();
  parallel_for(m, std::max<int64_t>(1, kChunkWork / std::max<int64_t>(n, 1)), [&](int64_t m0, int64_t m1) {
    for (int64_t r = m0; r < m1; ++r) db[r] += ek.sum(rows + r * ld, n);
  });
}

}  // namespace

void feature_major_forward(const RecurrentShape& s, const float* xp, const FeatureMajorInput* input,
                           const float* h0, const float* c0, const float* b_hh, const SparseWeight& w_hh,
                           FeatureMajorSaved& saved, float* hs_out, float* cs_last) {
  const RecurrentKernels& rk = kernels::recurrent_kernels();
  const SparseKernels& sk = kernels::sparse_kernels();
  const FeatureMajor fm{s.n};
  const int64_t n = s.n, hid = s.hidden, gh = s.gates;
  const bool lstm = s.cell == RecurrentCell::lstm, gru = s.cell == RecurrentCell::gru;
  saved.hs = Scratch((s.t + 1) * n * hid);
  saved.cs = Scratch(lstm ? (s.t + 1) * n * hid : 0);
  saved.gates = Scratch(s.t * n * (gru ? 4 * hid : gh));
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
      const Scratch x_block(input ? input->in * cols : 0);
      for (int64_t t = 0; t < s.t; ++t) {
        const float* h_prev = saved.hs.data() + fm.block(t, c, hid);
        float* h = saved.hs.data() + fm.block(t + 1, c, hid);
        if (gru) {
          float* pre = pre_buf.data();
          input_block(sk, s, fm, xp, input, t, c, x_block.data(), pre);
          float* q = hp.data();
          for (int64_t m = 0; m < gh; ++m)
            for (int64_t j = 0; j < cols; ++j) q[m * cols + j] = b_hh[m];
          w_hh.spmm(false, 0, w_hh.units(false), cols, h_prev, cols, q, cols, true);
          rk.gru_cell(1, hid * cols, pre, q, h_prev, saved.gates.data() + fm.block(t, c, 4 * hid), h);
          continue;
        }
        // lstm and rnn: pre-activations in the saved block (lstm activates its gates in place)
        float* pre = saved.gates.data() + fm.block(t, c, gh);
        input_block(sk, s, fm, xp, input, t, c, x_block.data(), pre);
        w_hh.spmm(false, 0, w_hh.units(false), cols, h_prev, cols, pre, cols, true);
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

void feature_major_backward(const RecurrentShape& s, const FeatureMajorSaved& saved, const float* hs_tm,
                            const float* dy, const float* dh_n, const float* dc_n, const SparseWeight& w_hh,
                            float* dh0, float* dc0, float* dw_hh, float* dxp, float* dhp,
                            const FeatureMajorInput* input, const FeatureMajorInputGrads& input_grads) {
  const RecurrentKernels& rk = kernels::recurrent_kernels();
  const SparseKernels& sk = kernels::sparse_kernels();
  const FeatureMajor fm{s.n};
  const int64_t n = s.n, hid = s.hidden, gh = s.gates, nh = n * hid;
  const bool lstm = s.cell == RecurrentCell::lstm, gru = s.cell == RecurrentCell::gru;
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
        w_hh.spmm(true, 0, w_hh.units(true), cols, dgh, cols, dh_prev, cols, true);
        std::swap(dh, dh_prev);
      }
      if (dh0) from_block(sk, dh, cols, hid, dh0 + n0 * hid, hid);
      if (lstm && dc0) from_block(sk, dc.data(), cols, hid, dc0 + n0 * hid, hid);
      if (input) {
        if (input_grads.dx_tm) {  // dx (cols, I) = (W_ihᵀ·dg) transposed, per step
          const SparseWeight& wi = *input->w_ih;
          const Scratch dx_block(input->in * cols);
          for (int64_t t = 0; t < s.t; ++t) {
            wi.spmm(true, 0, wi.units(true), cols, dg.data() + fm.block(t, c, gh), cols, dx_block.data(), cols,
                    false);
            from_block(sk, dx_block.data(), cols, input->in, input_grads.dx_tm + (t * n + n0) * input->in,
                       input->in);
          }
        }
        continue;
      }
      for (int64_t t = 0; t < s.t; ++t) {
        from_block(sk, dg.data() + fm.block(t, c, gh), cols, gh, dxp + (t * n + n0) * gh, gh);
        if (gru) from_block(sk, dq.data() + fm.block(t, c, gh), cols, gh, dhp + (t * n + n0) * gh, gh);
      }
    }
  });
  // The weight gradients are SDDMMs over all T·N entries at once, so the gate gradients become rows
  // over every step and entry; h_0 .. h_{T-1} (the first T·N rows of hs_tm) and x are transposed.
  const int64_t tn = s.t * n, ld = batch_stride(tn);
  const bool want_ih = input && (input_grads.dw_ih || input_grads.db_ih);
  const Scratch q_rows = dw_hh || (input && input_grads.db_hh) ? block_rows(fm, s.t, gh, pdq, ld) : Scratch();
  const Scratch g_rows = want_ih && gru ? block_rows(fm, s.t, gh, dg.data(), ld) : Scratch();
  const float* pq = q_rows.data();
  const float* pg = gru ? g_rows.data() : pq;
  if (dw_hh) {  // dW_hh = Σ_t dq_tᵀ·h_{t-1}
    const Scratch h_rows(hid * ld);
    transpose(hs_tm, tn, hid, hid, h_rows.data(), ld);
    sparse_weight_grad(w_hh, tn, pq, h_rows.data(), ld, dw_hh);
  }
  if (!input) return;
  if (input_grads.dw_ih) {  // dW_ih = Σ_t dg_tᵀ·x_t
    const Scratch x_rows(input->in * ld);
    transpose(input->x_tm, tn, input->in, input->in, x_rows.data(), ld);
    sparse_weight_grad(*input->w_ih, tn, pg, x_rows.data(), ld, input_grads.dw_ih);
  }
  if (input_grads.db_ih) add_row_sums(gh, tn, pg, ld, input_grads.db_ih);
  if (input_grads.db_hh) add_row_sums(gh, tn, pq, ld, input_grads.db_hh);
}

}  // namespace syn::detail
