#include "synapse/ops/sparse_weight.hpp"

#include <algorithm>

#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/sparse_kernels.hpp"
#include "synapse/ops/scratch.hpp"

namespace syn::detail {
namespace {

// Output rows per parallel chunk of a sparse product whose rows hold `per_row` multiply-adds.
int64_t row_grain(int64_t nnz, int64_t rows, int64_t n) {
  const int64_t per_row = std::max<int64_t>(1, nnz / std::max<int64_t>(rows, 1) * n);
  return std::max<int64_t>(1, kChunkWork / per_row);
}

// yt (M, n) = (accumulate ? yt : 0) + compressed rows (ptr, idx, val) times xt (K, n), both with
// row stride ld
void spmm_rows(int64_t m, int64_t nnz, int64_t n, int64_t ld, const int32_t* ptr, const int32_t* idx,
               const float* val, const float* xt, float* yt, bool accumulate) {
  const auto& kern = kernels::sparse_kernels();
  parallel_for(m, row_grain(nnz, m, n), [&](int64_t m0, int64_t m1) {
    kern.spmm(m0, m1, n, ptr, idx, val, xt, ld, yt, ld, accumulate);
  });
}

}  // namespace

SparseWeight::SparseWeight(const float* w, const Mask& mask, int64_t m, int64_t k, bool with_csc, bool with_ell)
    : ix(&mask.index(m, k)) {
  const std::vector<int64_t>& live = mask.live_indices();  // CSR order: row-major flat positions
  csr.resize(live.size());
  for (size_t p = 0; p < live.size(); ++p) csr[p] = w[live[p]];
  if (with_csc) {
    csc.resize(live.size());
    for (size_t q = 0; q < live.size(); ++q) csc[q] = w[ix->csc_pos[q]];
  }
  if (with_ell) {
    ell.resize(ix->ell_pos.size());
    for (size_t i = 0; i < ell.size(); ++i) ell[i] = ix->ell_pos[i] < 0 ? 0.f : csr[ix->ell_pos[i]];
  }
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

void sparse_linear(const SparseWeight& w, const float* x, int64_t n, float* y, bool accumulate) {
  const MaskIndex& ix = *w.ix;
  const int64_t m = ix.rows, k = ix.cols;
  if (n == 1) {
    const auto& kern = kernels::sparse_kernels();
    parallel_for(ix.ell_slices(), row_grain(ix.nnz, ix.ell_slices(), 1), [&](int64_t s0, int64_t s1) {
      kern.spmv(s0, s1, m, k, ix.ell_ptr.data(), ix.ell_col.data(), w.ell.data(), x, y, accumulate);
    });
    return;
  }
  const int64_t ld = batch_stride(n);
  const Scratch xt(k * ld), yt(m * ld);
  transpose(x, n, k, k, xt.data(), ld);
  if (accumulate) transpose(y, n, m, m, yt.data(), ld);
  spmm_rows(m, ix.nnz, n, ld, ix.row_ptr.data(), ix.col.data(), w.csr.data(), xt.data(), yt.data(), accumulate);
  transpose(yt.data(), m, n, ld, y, m);
}

void sparse_linear_backward(const SparseWeight& w, const float* dy, const float* x, int64_t n, float* dx,
                            float* dw) {
  const MaskIndex& ix = *w.ix;
  const int64_t m = ix.rows, k = ix.cols;
  const int64_t ld = batch_stride(n);
  const Scratch dyt(m * ld), t(k * ld);
  transpose(dy, n, m, m, dyt.data(), ld);
  if (dx) {  // dxᵀ (K, n) += W's CSC columns times dyᵀ
    transpose(dx, n, k, k, t.data(), ld);
    spmm_rows(k, ix.nnz, n, ld, ix.col_ptr.data(), ix.row.data(), w.csc.data(), dyt.data(), t.data(), true);
    transpose(t.data(), k, n, ld, dx, k);
  }
  if (dw) {  // SDDMM: dw[m, c] += dyᵀ[m, :]·xᵀ[c, :] for live (m, c)
    transpose(x, n, k, k, t.data(), ld);
    const auto& kern = kernels::sparse_kernels();
    parallel_for(m, row_grain(ix.nnz, m, n), [&](int64_t m0, int64_t m1) {
      kern.sddmm(m0, m1, n, ix.row_ptr.data(), ix.col.data(), dyt.data(), ld, t.data(), ld, dw, k);
    });
  }
}

}  // namespace syn::detail
