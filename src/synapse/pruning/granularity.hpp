#pragma once
// Granularity: the unit a pruner removes — single weights, whole rows, or R×C blocks — and
// UnitLayout, how one tensor is cut into such units.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "synapse/core/shape.hpp"

namespace syn::pruning {

struct Granularity {
  enum class Kind { element, row, block };
  Kind kind = Kind::element;
  int64_t block_rows = 1, block_cols = 1;  // block only, both > 0

  // "element" | "row" | "block:RxC" (e.g. block:4x4, block:1x4); ValueError naming the text otherwise.
  static Granularity parse(std::string_view text);
  std::string name() const;  // the text parse reads
};

// A tensor seen as a matrix: rows = size(0) and cols = numel / rows (a vector is one column). Units
// are numbered row-major over the grid of tiles: element 1×1, row 1×cols, block R×C (tiles at the
// right and bottom edges are smaller when R or C does not divide the matrix).
class UnitLayout {
 public:
  UnitLayout(const Shape& shape, const Granularity& granularity);

  int64_t units() const { return grid_rows_ * grid_cols_; }
  // Calls f(i) for every flat index i of unit u, in increasing order.
  template <class F>
  void for_each_element(int64_t u, F&& f) const {
    const int64_t r0 = (u / grid_cols_) * tile_rows_, c0 = (u % grid_cols_) * tile_cols_;
    const int64_t r1 = std::min(r0 + tile_rows_, rows_), c1 = std::min(c0 + tile_cols_, cols_);
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t c = c0; c < c1; ++c) f(r * cols_ + c);
  }

 private:
  int64_t rows_, cols_, tile_rows_, tile_cols_, grid_rows_, grid_cols_;
};

}  // namespace syn::pruning
