#include "synapse/ops/recurrent.hpp"

#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/ops/blocked_sums.hpp"
#include "synapse/ops/kernels/gemm.hpp"
#include "synapse/ops/kernels/recurrent_kernels.hpp"
#include "synapse/ops/kernels/sparse_kernels.hpp"
#include "synapse/ops/recurrent_buffers.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/sparse_plan.hpp"
#include "synapse/ops/recurrent_feature_major.hpp"
#include "synapse/ops/sparse_weight.hpp"

namespace syn {
namespace {

using kernels::gemm;
using kernels::RecurrentKernels;
using kernels::Trans;

using detail::PackedWeights;
using detail::Scratch;
using detail::SparseWeight;

// The per-step product c (r, out) += a (r, in)·Bᵀ of one chunk of batch rows in the batch-major
// loop: the dense packed kernel, or for a batch of one under the sparse plan a sparse GEMV (larger
// batches run the sparse plan in the feature-major loop, Note [Feature-major recurrent loop]).
struct StepProduct {
  const RecurrentKernels* dense = nullptr;
  const PackedWeights* packed = nullptr;
  const SparseWeight* sparse = nullptr;
  bool sparse_rows = true;  // B = W (its rows, ELL) or B = Wᵀ (W's CSC columns)
  int64_t in = 0, out = 0;

  static StepProduct of_dense(const RecurrentKernels& kern, const PackedWeights& w, int64_t in, int64_t out) {
    return {&kern, &w, nullptr, true, in, out};
  }
  static StepProduct of_sparse(const SparseWeight& w, bool rows) {
    return rows ? StepProduct{nullptr, nullptr, &w, true, w.cols(), w.rows()}
                : StepProduct{nullptr, nullptr, &w, false, w.rows(), w.cols()};
  }
  void run(int64_t r, const float* a, float* c) const {
    if (dense) {
      dense->matmul_packed(r, out, in, a, in, packed->data.data(), packed->panel, c, out);
      return;
    }
    SYN_CHECK(r == 1, "the batch-major sparse step runs one batch row at a time");
    const MaskIndex& ix = *sparse->ix;
    if (sparse_rows)  // inference's product: the ELL GEMV
      kernels::sparse_kernels().spmv(0, ix.ell_slices(), out, in, ix.ell_ptr.data(), ix.ell_col.data(),
                                     sparse->ell.data(), a, c, true);
    else  // backward of a batch of one: Wᵀ's compressed rows against a one-column operand
      sparse->spmm(true, 0, sparse->units(true), 1, a, 1, c, 1, true);
  }
};

struct Dims {
  int64_t n = 0, t = 0, in = 0, hidden = 0, gates = 0;  // gates = G·H
  int64_t rows() const { return n * t; }
  // Batch rows per parallel chunk of the time loop.
  int64_t row_grain() const {
    return std::max<int64_t>(1, detail::kChunkWork / std::max<int64_t>(t * gates * hidden, 1));
  }
};

const char* backward_name(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::rnn_tanh:
      return "RnnTanhBackward";
    case RecurrentCell::rnn_relu:
      return "RnnReluBackward";
    case RecurrentCell::lstm:
      return "LstmBackward";
    case RecurrentCell::gru:
      return "GruBackward";
  }
  return "RecurrentBackward";
}

// Inputs: x, w_ih, w_hh, b_ih, b_hh, h0, c0. Outputs: output, h_n, c_n (lstm).
// Saved (Note [Fused recurrent layer]), all time-major: hs (T + 1, N, H) = h0 .. h_T; cs (T + 1, N, H)
// for lstm; gates (T, N, 4H) for lstm and gru (Note [Gate layouts]). cs and gates never leave the op,
// so they are plain buffers owned by the node; hs backs the time-major output and is version-checked.
struct RecurrentBackward : Node {
  RecurrentCell cell = RecurrentCell::lstm;
  Dims d;
  bool batch_first = true;
  SavedTensor x_tm, w_ih, w_hh, hs;
  Scratch cs, gates;
  SparsePlan plan_ih = SparsePlan::dense, plan_hh = SparsePlan::dense;  // the forward's (Note [Sparse plans])
  bool feature_major = false;  // the sparse plan's time loop (Note [Feature-major recurrent loop])
  detail::FeatureMajorSaved fm;
  const char* name() const override { return backward_name(cell); }

  // dw (M, K) += dyᵀ·x over `rows` rows: dy (rows, M), x (rows, K); w is the weight, `mask` its
  // snapshot. Dead positions stay 0 (Note [Mask invariants] 3).
  static void weight_grad(const Tensor& w, const std::shared_ptr<const Mask>& mask, SparsePlan plan,
                          const float* dy, const float* x, int64_t rows, float* dw) {
    const int64_t m = w.size(0), k = w.size(1);
    if (plan != SparsePlan::dense) {
      detail::sparse_linear_backward(SparseWeight(w.data(), *mask, m, k, plan, false), dy, x, rows, nullptr, dw);
      return;
    }
    if (k == 1) {  // one input feature: dw (M, 1) is laid out as the row xᵀ·dy (1, M), which fills the
                   // vector lanes that a one-column product would leave empty; the same sums bit for bit
      gemm(Trans::yes, Trans::no, 1, m, rows, 1.f, x, 1, dy, m, 1.f, dw, m);
    } else if (k < m) {  // dwᵀ (K, M) = xᵀ·dy: the long side M = G·H becomes the GEMM's columns (wide
                         // register tiles), then added transposed
      Scratch dwt(k * m);
      gemm(Trans::yes, Trans::no, k, m, rows, 1.f, x, k, dy, m, 0.f, dwt.data(), m);
      detail::add_swapped_leading_axes(dwt.data(), k, m, 1, dw);
    } else {
      gemm(Trans::yes, Trans::no, m, k, rows, 1.f, dy, m, x, k, 1.f, dw, k);
    }
    if (mask) mask->zero_dead(dw);
  }

  // The batch-major time loop of backward (dense plan, or a batch of one): dxp, dhp (T, N, G·H)
  // written; dh0 (N, H) = dL/dh_0 and dc (N, H) = dL/dc_0 (lstm) returned.
  void batch_major_backward(const std::vector<Tensor>& grads, const float* dy, const StepProduct& product,
                            float* pdxp, float* pdhp, Tensor& dh0, Tensor& dc) const {
    const auto& kern = kernels::recurrent_kernels();
    const int64_t n = d.n, t_len = d.t, hid = d.hidden, gh = d.gates, nh = n * hid;
    const bool is_gru = cell == RecurrentCell::gru;
    const float* phs = hs.get(*this).data();
    const float* pcs = cs.data();
    const float* pgates = gates.data();
    // Two dh buffers (current step, previous step) and the lstm's dc, all (N, H). dh_a starts as the
    // last step's output gradient (copied, or zero without one); each step writes the previous step's
    // buffer whole before reading it (memcpy, memset or the gru cell), so dh_b needs no zeros.
    Tensor dh_a = dy ? Tensor::empty(Shape{n, hid}) : Tensor::zeros(Shape{n, hid});
    Tensor dh_b = Tensor::empty(Shape{n, hid});
    if (cell == RecurrentCell::lstm) dc = Tensor::zeros(Shape{n, hid});
    float* pdc = dc.defined() ? dc.mutable_data() : nullptr;
    float* pa = dh_a.mutable_data();
    if (dy) std::memcpy(pa, dy + (t_len - 1) * nh, sizeof(float) * nh);
    if (grads[1].defined()) {
      const float* dh_n = grads[1].data();
      for (int64_t e = 0; e < nh; ++e) pa[e] += dh_n[e];
    }
    if (cell == RecurrentCell::lstm && grads.size() > 2 && grads[2].defined())
      std::memcpy(pdc, grads[2].data(), sizeof(float) * nh);
    const bool need_dh0 = needs_grad(5);
    float* pb = dh_b.mutable_data();

    parallel_for(n, d.row_grain(), [&](int64_t n0, int64_t n1) {
      const int64_t rows = n1 - n0;
      float* dh = pa + n0 * hid;
      float* dh_prev = pb + n0 * hid;
      for (int64_t t = t_len - 1; t >= 0; --t) {
        const int64_t at = (t * n + n0) * hid;  // row n0 of step t in (T, N, H)
        float* dgx = pdxp + (t * n + n0) * gh;
        float* dgh = pdhp + (t * n + n0) * gh;
        switch (cell) {
          case RecurrentCell::lstm:
            kern.lstm_cell_backward(rows, hid, pgates + (t * n + n0) * 4 * hid, pcs + at, pcs + at + nh, dh,
                                    pdc + n0 * hid, dgx);
            break;
          case RecurrentCell::gru:
            kern.gru_cell_backward(rows, hid, pgates + (t * n + n0) * 4 * hid, phs + at, dh, dgx, dgh,
                                   dh_prev);
            break;
          case RecurrentCell::rnn_tanh:
            kern.rnn_tanh_cell_backward(rows * hid, phs + at + nh, dh, dgx);
            break;
          case RecurrentCell::rnn_relu:
            kern.rnn_relu_cell_backward(rows * hid, phs + at + nh, dh, dgx);
            break;
        }
        if (t == 0 && !need_dh0) break;
        // dh_prev = dy_{t-1} (+ dh·z for gru, already written) + dgates_h·W_hh
        const float* dy_prev = dy && t > 0 ? dy + at - nh : nullptr;
        if (is_gru) {
          if (dy_prev)
            for (int64_t e = 0; e < rows * hid; ++e) dh_prev[e] += dy_prev[e];
        } else if (dy_prev) {
          std::memcpy(dh_prev, dy_prev, sizeof(float) * rows * hid);
        } else {
          std::memset(dh_prev, 0, sizeof(float) * rows * hid);
        }
        product.run(rows, dgh, dh_prev);
        std::swap(dh, dh_prev);
      }
    });
    // After T swaps (T - 1 if the last step stopped early) the gradient of h0 is in dh_a or dh_b.
    dh0 = t_len % 2 == 0 ? dh_a : dh_b;
  }

  void backward(const std::vector<Tensor>& grads) override {
    const int64_t n = d.n, t_len = d.t, hid = d.hidden, gh = d.gates, nh = n * hid, rows = d.rows();
    const bool is_gru = cell == RecurrentCell::gru, is_lstm = cell == RecurrentCell::lstm;

    // dL/d output, time-major (T, N, H), or nullptr when no gradient reached the sequence.
    const float* dy = grads[0].defined() ? grads[0].data() : nullptr;
    Scratch dy_tm(dy && batch_first ? t_len * nh : 0);
    if (dy && batch_first) {
      detail::swap_leading_axes(dy, n, t_len, hid, dy_tm.data());
      dy = dy_tm.data();
    }
    const Tensor& whh = w_hh.get(*this);
    const Tensor& wih = w_ih.get(*this);
    const bool sparse_hh = plan_hh != SparsePlan::dense, sparse_ih = plan_ih != SparsePlan::dense;
    const std::optional<SparseWeight> sparse_w_hh =
        sparse_hh ? std::optional<SparseWeight>(std::in_place, whh.data(), *w_hh.mask(), gh, hid, plan_hh, true)
                  : std::nullopt;
    // dxp: gradient of the input projections; dhp: of the recurrent ones (the same for rnn / lstm).
    // The feature-major loop with W_ih inside needs neither (Note [Feature-major recurrent loop]).
    const bool fused = feature_major && sparse_ih;
    const Scratch dxp(fused ? 0 : t_len * n * gh), dhp(is_gru && !fused ? t_len * n * gh : 0);
    float* pdxp = dxp.data();
    float* pdhp = is_gru ? dhp.data() : pdxp;
    // dx, time-major: in a scratch added to x's gradient at the end when x is batch-first (swapped)
    // or the fused loop writes it; else accumulated in place.
    const bool dx_in_scratch = batch_first || fused;
    const Scratch dx_scratch(needs_grad(0) && dx_in_scratch ? rows * d.in : 0);
    float* dx = needs_grad(0) ? (dx_in_scratch ? dx_scratch.data() : grad_buffer(0).mutable_data()) : nullptr;
    const auto buffer = [&](int input) { return needs_grad(input) ? grad_buffer(input).mutable_data() : nullptr; };

    Tensor dh0, dc;  // dL/dh_0, dL/dc_0, both (N, H)
    if (feature_major) {
      if (needs_grad(5)) dh0 = Tensor::zeros(Shape{n, hid});
      if (is_lstm && needs_grad(6)) dc = Tensor::zeros(Shape{n, hid});
      const auto defined = [&](size_t i) { return grads.size() > i && grads[i].defined() ? grads[i].data() : nullptr; };
      const std::optional<SparseWeight> sparse_w_ih =
          fused ? std::optional<SparseWeight>(std::in_place, wih.data(), *w_ih.mask(), gh, d.in, plan_ih, needs_grad(0))
                : std::nullopt;
      const detail::FeatureMajorInput input{needs_grad(1) ? x_tm.get(*this).data() : nullptr, d.in,
                                            fused ? &*sparse_w_ih : nullptr, nullptr};
      detail::feature_major_backward({cell, n, t_len, hid, gh}, fm, hs.get(*this).data(), dy, defined(1), defined(2),
                                     *sparse_w_hh,
                                     dh0.defined() ? dh0.mutable_data() : nullptr,
                                     dc.defined() ? dc.mutable_data() : nullptr, buffer(2), pdxp,
                                     is_gru ? pdhp : nullptr, fused ? &input : nullptr,
                                     {buffer(1), buffer(3), buffer(4), dx});
    } else {
      const auto& kern = kernels::recurrent_kernels();
      const PackedWeights packed_w_hh(sparse_hh ? Tensor() : whh, gh, hid, false, n, kern);
      // dh_prev (r, H) += dgates (r, G·H)·W_hh
      const StepProduct product = sparse_hh ? StepProduct::of_sparse(*sparse_w_hh, false)
                                            : StepProduct::of_dense(kern, packed_w_hh, gh, hid);
      batch_major_backward(grads, dy, product, pdxp, pdhp, dh0, dc);
      if (needs_grad(2))  // dW_hh = Σ_t dhp_tᵀ·h_{t-1}: h_0 .. h_{T-1} are the first T·N rows of hs
        weight_grad(whh, w_hh.mask(), plan_hh, pdhp, hs.get(*this).data(), rows, buffer(2));
    }
    if (!fused) input_side_grads(wih, pdxp, pdhp, dx);
    if (dx && batch_first) {
      detail::add_swapped_leading_axes(dx, t_len, n, d.in, grad_buffer(0).mutable_data());
    } else if (dx && fused) {
      float* g = grad_buffer(0).mutable_data();
      for (int64_t e = 0; e < rows * d.in; ++e) g[e] += dx[e];
    }
    if (needs_grad(5)) accumulate_grad(5, dh0);
    if (needs_grad(6) && dc.defined()) accumulate_grad(6, dc);
  }

  // From the batch-major gate gradients dxp, dhp (T, N, G·H): dW_ih, the bias gradients, and
  // dx (T, N, I) time-major (+= when x is time-major, written when batch_first), when needed.
  void input_side_grads(const Tensor& wih, const float* pdxp, const float* pdhp, float* dx) {
    const int64_t gh = d.gates, rows = d.rows();
    if (needs_grad(1)) weight_grad(wih, w_ih.mask(), plan_ih, pdxp, x_tm.get(*this).data(), rows,
                                   grad_buffer(1).mutable_data());
    if (cell != RecurrentCell::gru && needs_grad(3) && needs_grad(4)) {  // the two bias gradients are the same sums
      std::vector<float> sums(static_cast<size_t>(gh), 0.f);
      detail::add_column_sums(pdxp, rows, gh, sums.data());
      for (int input : {3, 4}) {
        float* g = grad_buffer(input).mutable_data();
        for (int64_t j = 0; j < gh; ++j) g[j] += sums[static_cast<size_t>(j)];
      }
    } else {
      if (needs_grad(3)) detail::add_column_sums(pdxp, rows, gh, grad_buffer(3).mutable_data());
      if (needs_grad(4)) detail::add_column_sums(pdhp, rows, gh, grad_buffer(4).mutable_data());
    }
    if (!dx) return;  // dx = dxp·W_ih
    if (plan_ih != SparsePlan::dense) {
      if (batch_first) std::memset(dx, 0, sizeof(float) * rows * d.in);
      const SparseWeight sw(wih.data(), *w_ih.mask(), gh, d.in, plan_ih, true);
      detail::sparse_linear_backward(sw, pdxp, nullptr, rows, dx, nullptr);
    } else {
      gemm(Trans::no, Trans::no, rows, d.in, gh, 1.f, pdxp, gh, wih.data(), d.in, batch_first ? 0.f : 1.f, dx,
           d.in);
    }
  }
};

// The batch-major time loop (dense plan, or a batch of one): hs (T + 1, N, H) with h_0 .. h_T,
// cs (T + 1, N, H) (lstm), gates (T, N, 4H) (gru), c_n (N, H) (lstm), all written; xp (T, N, G·H)
// becomes the lstm's activated gates (Note [Fused recurrent layer]).
void batch_major_forward(RecurrentCell cell, const Dims& d, float* pxp, const Tensor& h0, const Tensor& c0,
                         const float* pb_hh, const StepProduct& product, float* phs, float* pcs, float* pgates,
                         float* c_n) {
  const auto& kern = kernels::recurrent_kernels();
  const int64_t n = d.n, t_len = d.t, hid = d.hidden, gh = d.gates, nh = n * hid;
  if (h0.defined())
    std::memcpy(phs, h0.data(), sizeof(float) * nh);
  else
    std::memset(phs, 0, sizeof(float) * nh);
  if (cell == RecurrentCell::lstm) {
    if (c0.defined())
      std::memcpy(pcs, c0.data(), sizeof(float) * nh);
    else
      std::memset(pcs, 0, sizeof(float) * nh);
  }
  const Scratch hp(cell == RecurrentCell::gru ? n * gh : 0);  // gru: h_{t-1}·W_hhᵀ + b_hh of one step
  float* php = hp.data();
  parallel_for(n, d.row_grain(), [&](int64_t n0, int64_t n1) {
    const int64_t r = n1 - n0;
    for (int64_t t = 0; t < t_len; ++t) {
      const int64_t at = (t * n + n0) * hid;  // row n0 of step t in (T, N, H)
      const float* h_prev = phs + at;
      float* h = phs + at + nh;
      float* pre = pxp + (t * n + n0) * gh;
      switch (cell) {
        case RecurrentCell::lstm:
          product.run(r, h_prev, pre);
          kern.lstm_cell(r, hid, pre, pcs + at, pcs + at + nh, h);
          break;
        case RecurrentCell::gru: {
          float* q = php + n0 * gh;
          for (int64_t i = 0; i < r; ++i) std::memcpy(q + i * gh, pb_hh, sizeof(float) * gh);
          product.run(r, h_prev, q);
          kern.gru_cell(r, hid, pre, q, h_prev, pgates + (t * n + n0) * 4 * hid, h);
          break;
        }
        case RecurrentCell::rnn_tanh:
          product.run(r, h_prev, pre);
          kern.rnn_tanh_cell(r * hid, pre, h);
          break;
        case RecurrentCell::rnn_relu:
          product.run(r, h_prev, pre);
          kern.rnn_relu_cell(r * hid, pre, h);
          break;
      }
    }
  });

  if (c_n) std::memcpy(c_n, pcs + t_len * nh, sizeof(float) * nh);
}

void check_inputs(RecurrentCell cell, const Tensor& x, const RecurrentWeights& w, const Tensor& h0,
                  const Tensor& c0, bool batch_first, Dims& d) {
  const char* op = cell_name(cell);
  SYN_CHECK_T(ValueError,
              x.defined() && w.w_ih.defined() && w.w_hh.defined() && w.b_ih.defined() && w.b_hh.defined(), op,
              ": x and all four weights must be defined");
  const Shape &xs = x.shape(), &wi = w.w_ih.shape(), &wh = w.w_hh.shape();
  SYN_CHECK_T(ShapeError, xs.rank() == 3 && xs.numel() > 0, op, ": x ", xs, " must be ",
              batch_first ? "(N, T, I)" : "(T, N, I)", " with positive sizes");
  d.n = batch_first ? xs[0] : xs[1];
  d.t = batch_first ? xs[1] : xs[0];
  d.in = xs[2];
  SYN_CHECK_T(ShapeError, wh.rank() == 2 && wh[1] > 0 && wh[0] == gate_count(cell) * wh[1], op, ": w_hh ", wh,
              " must be (", gate_count(cell), "·H, H) with H > 0");
  d.hidden = wh[1];
  d.gates = wh[0];
  SYN_CHECK_T(ShapeError, (wi == Shape{d.gates, d.in}), op, ": w_ih ", wi, " must be (", d.gates, ", ", d.in,
              ") for x ", xs, " and w_hh ", wh);
  SYN_CHECK_T(ShapeError, (w.b_ih.shape() == Shape{d.gates} && w.b_hh.shape() == Shape{d.gates}), op,
              ": b_ih ", w.b_ih.shape(), " and b_hh ", w.b_hh.shape(), " must both be (", d.gates, ")");
  const Shape state{d.n, d.hidden};
  SYN_CHECK_T(ShapeError, !h0.defined() || h0.shape() == state, op, ": h0 ",
              h0.defined() ? h0.shape().str() : "", " must be ", state, " for x ", xs);
  SYN_CHECK_T(ValueError, !c0.defined() || cell == RecurrentCell::lstm, op,
              ": only lstm takes an initial cell state c0");
  SYN_CHECK_T(ShapeError, !c0.defined() || c0.shape() == state, op, ": c0 ",
              c0.defined() ? c0.shape().str() : "", " must be ", state, " for x ", xs);
}

}  // namespace

int64_t gate_count(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::lstm:
      return 4;
    case RecurrentCell::gru:
      return 3;
    default:
      return 1;
  }
}

const char* cell_name(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::rnn_tanh:
      return "rnn_tanh";
    case RecurrentCell::rnn_relu:
      return "rnn_relu";
    case RecurrentCell::lstm:
      return "lstm";
    case RecurrentCell::gru:
      return "gru";
  }
  return "recurrent";
}

RecurrentOutput recurrent_layer(RecurrentCell cell, const Tensor& x, const RecurrentWeights& w,
                                const Tensor& h0, const Tensor& c0, bool batch_first) {
  Dims d;
  check_inputs(cell, x, w, h0, c0, batch_first, d);
  const auto& kern = kernels::recurrent_kernels();
  const int64_t n = d.n, t_len = d.t, hid = d.hidden, gh = d.gates, nh = n * hid, rows = d.rows();
  const bool is_gru = cell == RecurrentCell::gru, is_lstm = cell == RecurrentCell::lstm;

  // Time-major input and its projection for every step: xp (T, N, G·H) = x·W_ihᵀ + b_ih (+ b_hh, which
  // gru keeps on the recurrent side because r multiplies W_hn·h + b_hn).
  Tensor x_tm = x;
  if (batch_first) {
    x_tm = Tensor::empty(Shape{t_len, n, d.in});
    detail::swap_leading_axes(x.data(), n, t_len, d.in, x_tm.mutable_data());
  }
  std::vector<float> bias(w.b_ih.data(), w.b_ih.data() + gh);
  if (!is_gru)
    for (int64_t j = 0; j < gh; ++j) bias[j] += w.b_hh.data()[j];
  // The sparse plan of W_hh runs the feature-major loop for batches > 1, where W_ih multiplies per
  // step too and, under the sparse plan, joins the loop (Note [Feature-major recurrent loop]).
  const SparsePlan plan_hh = sparse_plan_for(w.w_hh, n, n > 1 ? SparseLayout::feature_major : SparseLayout::transposed);
  const bool sparse_hh = plan_hh != SparsePlan::dense, feature_major = sparse_hh && n > 1;
  const SparsePlan plan_ih =
      feature_major ? sparse_plan_for(w.w_ih, n, SparseLayout::feature_major) : sparse_plan_for(w.w_ih, rows);
  const bool fused = feature_major && plan_ih != SparsePlan::dense;
  const std::optional<SparseWeight> sparse_w_ih =
      plan_ih != SparsePlan::dense
          ? std::optional<SparseWeight>(std::in_place, w.w_ih.data(), *w.w_ih.mask(), gh, d.in, plan_ih, false)
          : std::nullopt;
  Scratch xp(fused ? 0 : t_len * n * gh);
  float* pxp = xp.data();
  if (!fused) {
    detail::fill_rows(pxp, rows, bias.data(), gh);
    if (sparse_w_ih)
      detail::sparse_linear(*sparse_w_ih, x_tm.data(), rows, pxp, true);
    else
      gemm(Trans::no, Trans::yes, rows, gh, d.in, 1.f, x_tm.data(), d.in, w.w_ih.data(), d.in, 1.f, pxp, gh);
  }

  // pre (r, G·H) += h_prev (r, H)·W_hhᵀ at every step
  const PackedWeights packed_w_hh(sparse_hh ? Tensor() : w.w_hh, hid, gh, true, n, kern);
  const std::optional<SparseWeight> sparse_w_hh =
      sparse_hh ? std::optional<SparseWeight>(std::in_place, w.w_hh.data(), *w.w_hh.mask(), gh, hid, plan_hh, false,
                                              n == 1)
                : std::nullopt;
  const StepProduct product = sparse_hh ? StepProduct::of_sparse(*sparse_w_hh, true)
                                        : StepProduct::of_dense(kern, packed_w_hh, hid, gh);
  Tensor hs = Tensor::empty(Shape{t_len + 1, n, hid});
  float* phs = hs.mutable_data();
  RecurrentOutput out;
  if (is_lstm) out.c_n = Tensor::empty(Shape{n, hid});
  detail::FeatureMajorSaved fm;
  Scratch cs(is_lstm && !feature_major ? (t_len + 1) * nh : 0);
  // lstm activates its gates in place in xp; gru saves r, z, n, W_hn·h + b_hn beside it.
  Scratch gates(is_gru && !feature_major ? t_len * n * 4 * hid : 0);
  const detail::FeatureMajorInput input{x_tm.data(), d.in, fused ? &*sparse_w_ih : nullptr, bias.data()};
  if (feature_major)
    detail::feature_major_forward({cell, n, t_len, hid, gh}, fused ? nullptr : pxp, fused ? &input : nullptr,
                                  h0.defined() ? h0.data() : nullptr, c0.defined() ? c0.data() : nullptr,
                                  w.b_hh.data(), *sparse_w_hh, fm, phs, is_lstm ? out.c_n.mutable_data() : nullptr);
  else
    batch_major_forward(cell, d, pxp, h0, c0, w.b_hh.data(), product, phs, cs.data(), gates.data(),
                        is_lstm ? out.c_n.mutable_data() : nullptr);

  if (batch_first) {
    out.output = Tensor::empty(Shape{n, t_len, hid});
    detail::swap_leading_axes(phs + nh, t_len, n, hid, out.output.mutable_data());
  } else {
    out.output = narrow(hs, 0, 1, t_len);  // a view of h_1 .. h_T
  }
  out.h_n = Tensor::empty(Shape{n, hid});
  std::memcpy(out.h_n.mutable_data(), phs + t_len * nh, sizeof(float) * nh);

  const std::initializer_list<const Tensor*> inputs = {&x, &w.w_ih, &w.w_hh, &w.b_ih, &w.b_hh, &h0, &c0};
  RecurrentBackward* node = is_lstm ? record<RecurrentBackward>(inputs, {&out.output, &out.h_n, &out.c_n})
                                    : record<RecurrentBackward>(inputs, {&out.output, &out.h_n});
  if (node) {
    node->cell = cell;
    node->d = d;
    node->batch_first = batch_first;
    if (node->needs_grad(1)) node->x_tm = x_tm;
    node->w_ih = w.w_ih;
    node->w_hh = w.w_hh;
    node->plan_ih = plan_ih;
    node->plan_hh = plan_hh;
    node->hs = hs;
    node->cs = std::move(cs);
    node->gates = is_lstm ? std::move(xp) : std::move(gates);
    node->feature_major = feature_major;
    node->fm = std::move(fm);
  }
  return out;
}

}  // namespace syn
