#pragma once
// SparseKernels: products with a pruned weight matrix held as compressed rows (Note [Mask index
// views] in core/mask_index.hpp), for one instruction set. Raw pointers and sizes only (Note [Kernel
// contract]); they do not allocate, throw or start threads: callers split output rows between
// threads with parallel_for.
//
// Note [Sparse products]
// Activations are batch-contiguous ("transposed", feature-major): xt (K, n) holds feature k of all n
// batch entries in row k, so the batch is the vector lane and every live weight is one broadcast
// and a run of FMAs over the batch (the layout of SparseProp and XNNPACK's sparse kernels). The ops
// transpose batch-major activations into this layout and back (`transpose`), which costs O(n·(K+M))
// against O(n·nnz) for the product. One spmm serves both directions: forward y = x·Wᵀ runs it over
// the CSR rows of W; the input gradient dx = dy·W runs it over W's CSC columns (the same compressed
// structure, transposed). The weight gradient is an SDDMM: a dot product over the batch at live
// positions only, so dead positions are never computed nor written (Note [Mask invariants] 3).
// Each output element is computed as acc = 0 (or its old value), then acc += val[p]·x[idx[p]] for p
// in increasing order (one FMA per term where the ISA has FMA, a rounded product and add in the
// scalar reference): results never depend on how rows are split between threads (Note
// [Determinism]); vectorised ISAs agree with the scalar reference to rounding.
// The block kernels (bspmm, bsddmm) do the same over the block view of a mask with block structure
// (Note [Mask index views]): a live R×C block costs R·C FMAs per batch vector for C loads of
// activation rows, where the element kernels load once per FMA. bspmm's terms for an output row
// come in increasing (block, column within the block) order, which is increasing column order.
#include <cstdint>

#include "synapse/core/cpu_features.hpp"
#include "synapse/core/mask_index.hpp"

namespace syn::kernels {

struct SparseKernels {
  Isa isa;

  // Compressed rows: ptr (M + 1), idx (nnz), val (nnz)   xt: (K, n), row stride ldx
  // yt: (M, n), row stride ldy. For output rows m in [m0, m1):
  // yt[m, :] = (accumulate ? yt[m, :] : 0) + Σ_{p ∈ [ptr[m], ptr[m+1])} val[p]·xt[idx[p], :]
  void (*spmm)(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* val,
               const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate);

  // Compressed rows: ptr (M + 1), idx (nnz)   at: (M, n), row stride lda   bt: (K, n), row stride ldb
  // w: (M, K), row stride ldw. For rows m in [m0, m1) and live p of row m, with k = idx[p]:
  // w[m·ldw + k] += Σ_{j < n} at[m, j]·bt[k, j]   (the other entries of w are not touched)
  void (*sddmm)(int64_t m0, int64_t m1, int64_t n, const int32_t* ptr, const int32_t* idx, const float* at,
                int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw);

  // Batch 1, sliced ELL (Note [Mask index views]): slices [s0, s1) of kEllRows rows of W (m, k)
  // ptr (slices + 1), col and val (ptr[slices]·kEllRows; padding: value 0, column 0)   x: (k)   y: (m)
  // For rows r < m of those slices, l over the columns of r's slice, i = (ptr[s] + l)·kEllRows + r % kEllRows:
  // y[r] = (accumulate ? y[r] : 0) + Σ_l val[i]·x[col[i]]
  void (*spmv)(int64_t s0, int64_t s1, int64_t m, int64_t k, const int32_t* ptr, const int32_t* col,
               const float* val, const float* x, float* y, bool accumulate);

  // Block compressed rows of br × bc blocks, (br, bc) one of kBlockShapes: ptr (M/br + 1), idx (blocks:
  // block columns), val (blocks·br·bc, each block row-major)   xt: (K, n), row stride ldx
  // yt: (M, n), row stride ldy. For block rows b in [b0, b1) and r < br, row m = b·br + r:
  // yt[m, :] = (accumulate ? yt[m, :] : 0) + Σ_{p ∈ [ptr[b], ptr[b+1])} Σ_{c < bc} val[(p·br + r)·bc + c]·xt[idx[p]·bc + c, :]
  void (*bspmm)(int64_t b0, int64_t b1, int64_t br, int64_t bc, int64_t n, const int32_t* ptr, const int32_t* idx,
                const float* val, const float* xt, int64_t ldx, float* yt, int64_t ldy, bool accumulate);

  // Block compressed rows as for bspmm: ptr (M/br + 1), idx (blocks)   at: (M, n), row stride lda
  // bt: (K, n), row stride ldb   w: (M, K), row stride ldw. For block rows b in [b0, b1), live blocks p
  // of b, r < br, c < bc, with m = b·br + r and k = idx[p]·bc + c:
  // w[m·ldw + k] += Σ_{j < n} at[m, j]·bt[k, j]   (entries outside live blocks are not touched)
  void (*bsddmm)(int64_t b0, int64_t b1, int64_t br, int64_t bc, int64_t n, const int32_t* ptr, const int32_t* idx,
                 const float* at, int64_t lda, const float* bt, int64_t ldb, float* w, int64_t ldw);

  // src: (rows, cols), row stride lds -> dst: (cols, rows), row stride ldd; dst[c, r] = src[r, c]
  void (*transpose)(int64_t rows, int64_t cols, const float* src, int64_t lds, float* dst, int64_t ldd);
};

// The table of the widest ISA <= isa compiled for this family, or nullptr if this CPU cannot run
// isa; sparse_kernels_for(Isa::scalar) is the plain-loop reference, the test oracle.
const SparseKernels* sparse_kernels_for(Isa isa);
// The table the ops use: sparse_kernels_for(kernel_isa()) (Note [Kernel dispatch]).
const SparseKernels& sparse_kernels();

}  // namespace syn::kernels
