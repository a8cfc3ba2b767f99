#include "synapse/core/mask.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "synapse/core/error.hpp"

namespace syn {

Mask::Mask(const std::vector<uint8_t>& live)
    : numel_(static_cast<int64_t>(live.size())), bits_((live.size() + 63) / 64, 0) {
  for (size_t i = 0; i < live.size(); ++i) {
    if (live[i]) {
      bits_[i >> 6] |= uint64_t{1} << (i & 63);
      ++nnz_;
    }
  }
}

const std::vector<int64_t>& Mask::live_indices() const {
  std::call_once(live_indices_built_, [this] {
    live_indices_.reserve(static_cast<size_t>(nnz_));
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1)
        live_indices_.push_back(static_cast<int64_t>(w * 64) + std::countr_zero(word));
    }
  });
  return live_indices_;
}

void Mask::zero_dead(float* p) const {
  if (nnz_ == numel_) return;
  for (size_t w = 0; w < bits_.size(); ++w) {
    const uint64_t word = bits_[w];
    if (word == ~uint64_t{0}) continue;
    float* q = p + w * 64;
    const int64_t end = std::min<int64_t>(64, numel_ - static_cast<int64_t>(w * 64));
    if (end == 64) {  // branch-free, so that the compiler vectorises it
      for (int j = 0; j < 64; ++j) q[j] = ((word >> j) & 1u) ? q[j] : 0.f;
    } else {
      for (int64_t j = 0; j < end; ++j) q[j] = ((word >> j) & 1u) ? q[j] : 0.f;
    }
  }
}

namespace {

// The live-entry count of every aligned (br, bc) block of the (rows, cols) matrix, row-major over
// the grid of blocks, if each is 0 or br·bc (the block view of Note [Mask index views]); else empty.
std::vector<int32_t> block_counts(const Mask& mask, int64_t rows, int64_t cols, int64_t br, int64_t bc) {
  if (rows % br != 0 || cols % bc != 0) return {};
  const int64_t grid_cols = cols / bc;
  std::vector<int32_t> count(static_cast<size_t>(rows / br * grid_cols), 0);
  for (int64_t i : mask.live_indices()) ++count[static_cast<size_t>(i / cols / br * grid_cols + i % cols / bc)];
  for (int32_t c : count)
    if (c != 0 && c != br * bc) return {};
  return count;
}

// The block view: the first shape of kBlockShapes the mask's bits allow, by block row and by block
// column.
void build_blocks(const Mask& mask, MaskIndex& ix) {
  for (const BlockShape shape : kBlockShapes) {
    const std::vector<int32_t> count = block_counts(mask, ix.rows, ix.cols, shape.rows, shape.cols);
    if (count.empty()) continue;
    ix.block_rows = shape.rows;
    ix.block_cols = shape.cols;
    const int64_t grid_rows = ix.rows / shape.rows, grid_cols = ix.cols / shape.cols;
    ix.bsr_ptr.assign(1, 0);
    ix.bsc_ptr.assign(static_cast<size_t>(grid_cols + 1), 0);
    for (int64_t b = 0; b < grid_rows; ++b) {
      for (int64_t c = 0; c < grid_cols; ++c)
        if (count[static_cast<size_t>(b * grid_cols + c)] != 0) {
          ix.bsr_col.push_back(static_cast<int32_t>(c));
          ix.bsr_pos.push_back(static_cast<int32_t>(b * shape.rows * ix.cols + c * shape.cols));
          ++ix.bsc_ptr[static_cast<size_t>(c + 1)];
        }
      ix.bsr_ptr.push_back(static_cast<int32_t>(ix.bsr_col.size()));
    }
    for (int64_t c = 0; c < grid_cols; ++c) ix.bsc_ptr[c + 1] += ix.bsc_ptr[c];
    ix.bsc_row.resize(ix.bsr_col.size());
    ix.bsc_pos.resize(ix.bsr_col.size());
    std::vector<int32_t> next(ix.bsc_ptr.begin(), ix.bsc_ptr.end() - 1);
    for (int64_t b = 0; b < grid_rows; ++b)
      for (int32_t p = ix.bsr_ptr[b]; p < ix.bsr_ptr[b + 1]; ++p) {
        const int32_t q = next[ix.bsr_col[p]]++;
        ix.bsc_row[q] = static_cast<int32_t>(b);
        ix.bsc_pos[q] = ix.bsr_pos[p];
      }
    return;
  }
}

MaskIndex build_index(const Mask& mask, int64_t rows, int64_t cols) {
  MaskIndex ix;
  ix.rows = rows;
  ix.cols = cols;
  ix.nnz = mask.nnz();
  ix.row_ptr.assign(static_cast<size_t>(rows + 1), 0);
  ix.col_ptr.assign(static_cast<size_t>(cols + 1), 0);
  ix.col.reserve(static_cast<size_t>(ix.nnz));
  for (int64_t i : mask.live_indices()) {
    const int64_t r = i / cols, c = i % cols;
    ix.col.push_back(static_cast<int32_t>(c));
    ++ix.row_ptr[static_cast<size_t>(r + 1)];
    ++ix.col_ptr[static_cast<size_t>(c + 1)];
  }
  for (int64_t r = 0; r < rows; ++r) {
    if (ix.row_ptr[r + 1] > 0) ix.live_rows.push_back(static_cast<int32_t>(r));
    ix.row_ptr[r + 1] += ix.row_ptr[r];
  }
  for (int64_t c = 0; c < cols; ++c) ix.col_ptr[c + 1] += ix.col_ptr[c];
  // CSC by a counting pass over the CSR entries: rows ascend within each column.
  ix.row.resize(static_cast<size_t>(ix.nnz));
  ix.csc_pos.resize(static_cast<size_t>(ix.nnz));
  std::vector<int32_t> next(ix.col_ptr.begin(), ix.col_ptr.end() - 1);
  for (int64_t r = 0; r < rows; ++r)
    for (int32_t p = ix.row_ptr[r]; p < ix.row_ptr[r + 1]; ++p) {
      const int32_t q = next[ix.col[p]]++;
      ix.row[q] = static_cast<int32_t>(r);
      ix.csc_pos[q] = static_cast<int32_t>(r * cols + ix.col[p]);
    }
  // Sliced ELL: each slice as wide as its longest row, padded with position -1, column 0.
  const int64_t slices = (rows + kEllRows - 1) / kEllRows;
  ix.ell_ptr.assign(1, 0);
  for (int64_t s = 0; s < slices; ++s) {
    int32_t width = 0;
    for (int64_t r = s * kEllRows; r < std::min(rows, (s + 1) * kEllRows); ++r)
      width = std::max(width, ix.row_ptr[r + 1] - ix.row_ptr[r]);
    ix.ell_ptr.push_back(ix.ell_ptr.back() + width);
  }
  ix.ell_col.assign(static_cast<size_t>(ix.ell_ptr.back() * kEllRows), 0);
  ix.ell_pos.assign(ix.ell_col.size(), -1);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t s = r / kEllRows, lane = r % kEllRows;
    for (int32_t p = ix.row_ptr[r]; p < ix.row_ptr[r + 1]; ++p) {
      const int64_t slot = (ix.ell_ptr[s] + (p - ix.row_ptr[r])) * kEllRows + lane;
      ix.ell_col[slot] = ix.col[p];
      ix.ell_pos[slot] = p;
    }
  }
  build_blocks(mask, ix);
  return ix;
}

}  // namespace

const MaskIndex& Mask::index(int64_t rows, int64_t cols) const {
  SYN_CHECK_T(ShapeError, rows > 0 && cols > 0 && rows * cols == numel_, "Mask::index: a mask of ", numel_,
              " entries cannot be read as (", rows, ", ", cols, ")");
  SYN_CHECK_T(ValueError, numel_ < std::numeric_limits<int32_t>::max(), "Mask::index: a mask of ", numel_,
              " entries is too large for 32-bit sparse indices");
  std::lock_guard<std::mutex> lock(cache_mutex_);
  for (const auto& ix : indexes_)
    if (ix->rows == rows && ix->cols == cols) return *ix;
  indexes_.push_back(std::make_unique<MaskIndex>(build_index(*this, rows, cols)));
  return *indexes_.back();
}

std::shared_ptr<const Mask> Mask::slice(int64_t outer, int64_t row, int64_t begin, int64_t width) const {
  SYN_CHECK_T(IndexError, outer >= 0 && row >= 0 && outer * row == numel_ && begin >= 0 && width >= 0 &&
                              begin + width <= row,
              "Mask::slice: [", begin, ", ", begin + width, ") of ", outer, " rows of ", row,
              " does not fit a mask of ", numel_, " entries");
  const SliceKey key{outer, row, begin, width};
  std::lock_guard<std::mutex> lock(cache_mutex_);
  for (const auto& [k, m] : slices_)
    if (k == key) return m;
  std::vector<uint8_t> kept(static_cast<size_t>(outer * width));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < width; ++j) kept[o * width + j] = live(o * row + begin + j) ? 1 : 0;
  auto sliced = std::make_shared<const Mask>(kept);
  slices_.emplace_back(key, sliced);
  return sliced;
}

}  // namespace syn
