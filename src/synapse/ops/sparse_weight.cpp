#include "synapse/ops/sparse_weight.hpp"

#include <algorithm>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/sparse_kernels.hpp"
#include "synapse/ops/scratch.hpp"

namespace syn::detail {
namespace {

// Batch entries per pass of a batched product: the batch-contiguous buffers of one pass (rows of
// 2 KiB) stay in cache between the transposes and the kernels.
constexpr int64_t kBatchChunk = 512;

// Output units per parallel chunk of a product of `nnz` multiply-adds per batch entry over `units`.
int64_t unit_grain(int64_t nnz, int64_t units, int64_t n) {
  const int64_t per_unit = std::max<int64_t>(1, nnz / std::max<int64_t>(units, 1) * n);
  return std::max<int64_t>(1, kChunkWork / per_unit);
}

// spmm over all output units of w (or of its transpose), split between threads
void spmm_units(const SparseWeight& w, bool transposed, int64_t n, const float* xt, float* yt, int64_t ld,
                bool accumulate) {
  const int64_t units = w.units(transposed);
  parallel_for(units, unit_grain(w.ix->nnz, units, n), [&](int64_t u0, int64_t u1) {
    w.spmm(transposed, u0, u1, n, xt, ld, yt, ld, accumulate);
  });
}

// out = the R×C blocks of w (m, k) at flat positions pos, each row-major, or (transposed) each
// block's transpose row-major
template <int R, int C>
void gather_blocks(const float* w, int64_t k, const std::vector<int32_t>& pos, bool transposed,
                   std::vector<float>& out) {
  out.resize(pos.size() * R * C);
  float* dst = out.data();
  for (const int32_t p : pos) {
    const float* src = w + p;
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) dst[transposed ? c * R + r : r * C + c] = src[r * k + c];
    dst += R * C;
  }
}

}  // namespace

SparseWeight::SparseWeight(const float* w, const Mask& mask, int64_t m, int64_t k, SparsePlan plan,
                           bool with_transposed, bool with_ell)
    : ix(&mask.index(m, k)), blocked(plan == SparsePlan::block && ix->blocked()) {
  if (blocked) {  // each block row-major; transposed: each block of Wᵀ row-major
    with_block_shape(ix->block_rows, ix->block_cols, [&](auto rows, auto cols) {
      gather_blocks<decltype(rows)::value, decltype(cols)::value>(w, k, ix->bsr_pos, false, values);
      if (with_transposed)
        gather_blocks<decltype(rows)::value, decltype(cols)::value>(w, k, ix->bsc_pos, true, values_t);
    });
    return;
  }
  const std::vector<int64_t>& live = mask.live_indices();  // CSR order: row-major flat positions
  values.resize(live.size());
  for (size_t p = 0; p < live.size(); ++p) values[p] = w[live[p]];
  if (with_transposed) {
    values_t.resize(live.size());
    for (size_t q = 0; q < live.size(); ++q) values_t[q] = w[ix->csc_pos[q]];
  }
  if (with_ell) {
    ell.resize(ix->ell_pos.size());
    for (size_t i = 0; i < ell.size(); ++i) ell[i] = ix->ell_pos[i] < 0 ? 0.f : values[ix->ell_pos[i]];
  }
}

int64_t SparseWeight::unit_rows(bool transposed) const {
  return blocked ? (transposed ? ix->block_cols : ix->block_rows) : 1;
}

int64_t SparseWeight::units(bool transposed) const { return (transposed ? ix->cols : ix->rows) / unit_rows(transposed); }

void SparseWeight::spmm(bool transposed, int64_t u0, int64_t u1, int64_t n, const float* xt, int64_t ldx, float* yt,
                        int64_t ldy, bool accumulate) const {
  const auto& kern = kernels::sparse_kernels();
  const float* val = (transposed ? values_t : values).data();
  if (blocked) {
    const int64_t br = unit_rows(transposed), bc = unit_rows(!transposed);
    const int32_t* ptr = (transposed ? ix->bsc_ptr : ix->bsr_ptr).data();
    const int32_t* idx = (transposed ? ix->bsc_row : ix->bsr_col).data();
    kern.bspmm(u0, u1, br, bc, n, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
  } else {
    const int32_t* ptr = (transposed ? ix->col_ptr : ix->row_ptr).data();
    const int32_t* idx = (transposed ? ix->row : ix->col).data();
    kern.spmm(u0, u1, n, ptr, idx, val, xt, ldx, yt, ldy, accumulate);
  }
}

void SparseWeight::sddmm(int64_t u0, int64_t u1, int64_t n, const float* at, int64_t lda, const float* bt,
                         int64_t ldb, float* dw) const {
  const auto& kern = kernels::sparse_kernels();
  if (blocked)
    kern.bsddmm(u0, u1, ix->block_rows, ix->block_cols, n, ix->bsr_ptr.data(), ix->bsr_col.data(), at, lda, bt,
                ldb, dw, ix->cols);
  else
    kern.sddmm(u0, u1, n, ix->row_ptr.data(), ix->col.data(), at, lda, bt, ldb, dw, ix->cols);
}

int64_t batch_stride(int64_t n) {
  const int64_t ld = (n + 15) / 16 * 16;
  return ld % 256 == 0 ? ld + 16 : ld;
}

void transpose(const float* src, int64_t rows, int64_t cols, int64_t lds, float* dst, int64_t ldd) {
  const auto& kern = kernels::sparse_kernels();
  constexpr int64_t kBlock = 64;
  const int64_t blocks = (rows + kBlock - 1) / kBlock;
  parallel_for(blocks, std::max<int64_t>(1, kChunkWork / std::max<int64_t>(kBlock * cols, 1)),
               [&](int64_t b0, int64_t b1) {
                 const int64_t r0 = b0 * kBlock, r1 = std::min(rows, b1 * kBlock);
                 kern.transpose(r1 - r0, cols, src + r0 * lds, lds, dst + r0, ldd);
               });
}

void sparse_weight_grad(const SparseWeight& w, int64_t n, const float* at, const float* bt, int64_t ld, float* dw) {
  parallel_for(w.units(false), unit_grain(w.ix->nnz, w.units(false), n),
               [&](int64_t u0, int64_t u1) { w.sddmm(u0, u1, n, at, ld, bt, ld, dw); });
}

void sparse_linear(const SparseWeight& w, const float* x, int64_t n, float* y, bool accumulate) {
  const MaskIndex& ix = *w.ix;
  const int64_t m = ix.rows, k = ix.cols;
  if (n == 1) {
    const auto& kern = kernels::sparse_kernels();
    parallel_for(ix.ell_slices(), unit_grain(ix.nnz, ix.ell_slices(), 1), [&](int64_t s0, int64_t s1) {
      kern.spmv(s0, s1, m, k, ix.ell_ptr.data(), ix.ell_col.data(), w.ell.data(), x, y, accumulate);
    });
    return;
  }
  const int64_t chunk = std::min(n, kBatchChunk), ld = batch_stride(chunk);
  const Scratch xt(k * ld), yt(m * ld);
  for (int64_t b0 = 0; b0 < n; b0 += chunk) {
    const int64_t c = std::min(chunk, n - b0);
    transpose(x + b0 * k, c, k, k, xt.data(), ld);
    if (accumulate) transpose(y + b0 * m, c, m, m, yt.data(), ld);
    spmm_units(w, false, c, xt.data(), yt.data(), ld, accumulate);
    transpose(yt.data(), m, c, ld, y + b0 * m, m);
  }
}

void sparse_linear_backward(const SparseWeight& w, const float* dy, const float* x, int64_t n, float* dx,
                            float* dw) {
  const MaskIndex& ix = *w.ix;
  const int64_t m = ix.rows, k = ix.cols;
  const int64_t chunk = std::min(n, kBatchChunk), ld = batch_stride(chunk);
  const Scratch dyt(m * ld), t(k * ld);
  for (int64_t b0 = 0; b0 < n; b0 += chunk) {
    const int64_t c = std::min(chunk, n - b0);
    transpose(dy + b0 * m, c, m, m, dyt.data(), ld);
    if (dx) {  // dxᵀ (K, c) += W's CSC columns (BSC blocks) times dyᵀ
      transpose(dx + b0 * k, c, k, k, t.data(), ld);
      spmm_units(w, true, c, dyt.data(), t.data(), ld, true);
      transpose(t.data(), k, c, ld, dx + b0 * k, k);
    }
    if (dw) {  // SDDMM: dw[m, c] += dyᵀ[m, :]·xᵀ[c, :] for live (m, c)
      transpose(x + b0 * k, c, k, k, t.data(), ld);
      sparse_weight_grad(w, c, dyt.data(), t.data(), ld, dw);
    }
  }
}

}  // namespace syn::detail
