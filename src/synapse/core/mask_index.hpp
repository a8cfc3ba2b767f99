#pragma once
// MaskIndex: the index views of a Mask read as a (rows, cols) row-major matrix — what the sparse
// kernels iterate over instead of the dead entries.
//
// Note [Mask index views]
// A weight W (M, K) multiplies as y = x·Wᵀ. The views, built once per mask (Mask::index) and reused
// at every time step, batch and epoch until the next pruning decision builds a new mask:
// - CSR by output row (forward y, and the weight gradient as SDDMM over live positions only):
//   row_ptr (M + 1), col (nnz): the live entries of row m are col[row_ptr[m] .. row_ptr[m + 1]),
//   in increasing column order. Entry p is W's flat element m·K + col[p].
// - CSC by input column (the input gradient dx = dy·W): col_ptr (K + 1), row (nnz), and csc_pos
//   (nnz), the flat position m·K + k of each entry, so kernels gather W's values in CSC order.
// - live_rows: the rows with at least one live entry (row-pruned matrices skip the others).
// - Sliced ELL for batch-1 products (GEMV): rows in slices of kEllRows; slice s is ell_ptr[s+1] -
//   ell_ptr[s] columns wide (its longest row), column l of slice s holding entry l of each of its rows
//   at ell_col / ell_pos[(ell_ptr[s] + l)·kEllRows + r] (r = row − s·kEllRows). ell_pos is the CSR
//   position of the entry, or -1 for padding (rows shorter than the slice, and rows past M), whose
//   column is 0 and whose value the ops set to 0. A vector of kEllRows lanes then runs a slice
//   with one load, one lookup of x and one FMA per column, with no horizontal sums.
// - Blocks (BSR), for masks with block structure (the block plan of Note [Sparse plans]): the
//   view reads the bits for the first shape of kBlockShapes (4×4, then 4×1, then 1×4) that divides
//   (rows, cols) and for which every aligned block_rows × block_cols block is all live or all dead.
//   A shape that does not divide the matrix is not a candidate (no partial edge blocks): a mask
//   pruned in 4×4 tiles on a (6, 8) matrix, whose bottom tiles are 2 × 4, reads as 1×4. No match
//   leaves block_rows = block_cols = 1 and the block arrays empty (the CSR view is the 1×1 case).
//   By block row: bsr_ptr (rows / block_rows + 1), bsr_col (blocks): the live blocks of block row b
//   are bsr_col[bsr_ptr[b] .. bsr_ptr[b + 1]), block columns in increasing order; bsr_pos (blocks):
//   the flat position r0·cols + c0 of each block's top-left entry. By block column (input
//   gradients): bsc_ptr (cols / block_cols + 1), bsc_row (blocks), bsc_pos (blocks), the same blocks
//   with block rows increasing within each block column.
// Indices are int32 (a pruned matrix has fewer than 2^31 entries; Mask::index checks).
// Values are not part of the view: they change at every optimizer step, so the ops gather them
// (nnz floats) per call.
#include <cstdint>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

namespace syn {

inline constexpr int64_t kEllRows = 16;

// The block shapes a block view can have, in the order they are tried (Note [Mask index views]);
// the transpose of each is in the list too, so the input gradient's blocks are kernel shapes as well.
struct BlockShape {
  int64_t rows, cols;
};
inline constexpr BlockShape kBlockShapes[] = {{4, 4}, {4, 1}, {1, 4}};

// Calls f(R, C), both std::integral_constant<int, ...>, for the shape of kBlockShapes that (br, bc) is
// (nothing for another shape), so that loops over a block have compile-time bounds.
template <class F, size_t... I>
inline void with_block_shape(int64_t br, int64_t bc, F&& f, std::index_sequence<I...>) {
  (void)((br == kBlockShapes[I].rows && bc == kBlockShapes[I].cols
              ? (f(std::integral_constant<int, kBlockShapes[I].rows>{},
                   std::integral_constant<int, kBlockShapes[I].cols>{}),
                 true)
              : false) ||
         ...);
}
template <class F>
inline void with_block_shape(int64_t br, int64_t bc, F&& f) {
  with_block_shape(br, bc, f, std::make_index_sequence<std::size(kBlockShapes)>{});
}

struct MaskIndex {
  int64_t rows = 0, cols = 0, nnz = 0;
  std::vector<int32_t> row_ptr, col;            // CSR
  std::vector<int32_t> col_ptr, row, csc_pos;   // CSC
  std::vector<int32_t> live_rows;
  std::vector<int32_t> ell_ptr, ell_col, ell_pos;  // sliced ELL
  int64_t block_rows = 1, block_cols = 1;          // 1 × 1: no block structure
  std::vector<int32_t> bsr_ptr, bsr_col, bsr_pos;  // blocks by block row
  std::vector<int32_t> bsc_ptr, bsc_row, bsc_pos;  // blocks by block column
  int64_t ell_slices() const { return static_cast<int64_t>(ell_ptr.size()) - 1; }
  bool blocked() const { return block_rows * block_cols > 1; }
  int64_t blocks() const { return static_cast<int64_t>(bsr_col.size()); }
};

}  // namespace syn
