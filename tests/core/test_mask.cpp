#include <doctest/doctest.h>

#include <thread>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

using namespace syn;

TEST_CASE("mask: live_indices lists the live entries in order across word boundaries") {
  std::vector<uint8_t> live(200, 0);
  std::vector<int64_t> expected;
  for (int64_t i : {0, 5, 63, 64, 65, 127, 128, 199}) {
    live[static_cast<size_t>(i)] = 1;
    expected.push_back(i);
  }
  const Mask mask(live);
  CHECK(mask.nnz() == 8);
  CHECK(mask.live_indices() == expected);
  CHECK(&mask.live_indices() == &mask.live_indices());  // built once
  CHECK(Mask(std::vector<uint8_t>(70, 0)).live_indices().empty());
  CHECK(Mask(std::vector<uint8_t>(70, 1)).live_indices().size() == 70);
}

TEST_CASE("mask: live_indices is safe to build from several threads at once") {
  std::vector<uint8_t> live(100000);
  for (size_t i = 0; i < live.size(); ++i) live[i] = i % 7 != 0;
  const Mask mask(live);
  std::vector<size_t> sizes(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) threads.emplace_back([&, t] { sizes[t] = mask.live_indices().size(); });
  for (auto& t : threads) t.join();
  for (size_t s : sizes) CHECK(s == static_cast<size_t>(mask.nnz()));
}

TEST_CASE("mask: index views list live entries by row (CSR), by column (CSC) and the live rows") {
  // (3, 4):  row 0: 1 0 1 0   row 1: 0 0 0 0   row 2: 1 1 0 1
  const Mask mask(std::vector<uint8_t>{1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1});
  const MaskIndex& ix = mask.index(3, 4);
  CHECK(&ix == &mask.index(3, 4));  // built once
  CHECK(ix.nnz == 5);
  CHECK(ix.row_ptr == std::vector<int32_t>{0, 2, 2, 5});
  CHECK(ix.col == std::vector<int32_t>{0, 2, 0, 1, 3});
  CHECK(ix.col_ptr == std::vector<int32_t>{0, 2, 3, 4, 5});
  CHECK(ix.row == std::vector<int32_t>{0, 2, 2, 0, 2});
  CHECK(ix.csc_pos == std::vector<int32_t>{0, 8, 9, 2, 11});
  CHECK(ix.live_rows == std::vector<int32_t>{0, 2});
  const MaskIndex& flat = mask.index(1, 12);
  CHECK(flat.row_ptr == std::vector<int32_t>{0, 5});
  CHECK_THROWS_AS(mask.index(5, 3), ShapeError);
}

TEST_CASE("mask: zero_dead zeroes exactly the dead entries across word boundaries") {
  std::vector<uint8_t> live(150);
  for (size_t i = 0; i < live.size(); ++i) live[i] = (i % 3 == 0 || i > 140) ? 1 : 0;
  const Mask mask(live);
  std::vector<float> v(150, 7.f);
  mask.zero_dead(v.data());
  for (size_t i = 0; i < v.size(); ++i) CHECK(v[i] == (live[i] ? 7.f : 0.f));
}

TEST_CASE("mask: slice keeps the matching entries of each row and is cached") {
  // 2 rows of 5: 1 0 1 1 0 | 0 1 1 0 1 ; keep columns [1, 4)
  const Mask mask(std::vector<uint8_t>{1, 0, 1, 1, 0, 0, 1, 1, 0, 1});
  const auto s = mask.slice(2, 5, 1, 3);
  REQUIRE(s->numel() == 6);
  const std::vector<bool> expected{false, true, true, true, true, false};
  for (int64_t i = 0; i < 6; ++i) CHECK(s->live(i) == expected[i]);
  CHECK(mask.slice(2, 5, 1, 3) == s);
  CHECK_THROWS_AS(mask.slice(2, 5, 3, 3), IndexError);
}

TEST_CASE("mask: the sliced ELL view lays each 16-row slice's entries column by column, padded") {
  // (18, 3): row r keeps column r % 3 and, for even r, column 2 as well; slice 1 holds rows 16, 17.
  std::vector<uint8_t> live(54, 0);
  for (int r = 0; r < 18; ++r) {
    live[static_cast<size_t>(r * 3 + r % 3)] = 1;
    if (r % 2 == 0) live[static_cast<size_t>(r * 3 + 2)] = 1;
  }
  const Mask mask(live);
  const MaskIndex& ix = mask.index(18, 3);
  REQUIRE(ix.ell_slices() == 2);
  CHECK(ix.ell_ptr == std::vector<int32_t>{0, 2, 4});
  for (int64_t s = 0; s < 2; ++s)
    for (int64_t r = s * 16; r < std::min<int64_t>(18, s * 16 + 16); ++r)
      for (int32_t l = 0; l < 2; ++l) {
        const size_t slot = static_cast<size_t>((ix.ell_ptr[s] + l) * kEllRows + r % kEllRows);
        const int32_t len = ix.row_ptr[r + 1] - ix.row_ptr[r];
        if (l < len) {
          CHECK(ix.ell_pos[slot] == ix.row_ptr[r] + l);
          CHECK(ix.ell_col[slot] == ix.col[ix.row_ptr[r] + l]);
        } else {
          CHECK(ix.ell_pos[slot] == -1);
          CHECK(ix.ell_col[slot] == 0);
        }
      }
  // Lanes past row 17 in slice 1 are padding.
  CHECK(ix.ell_pos[static_cast<size_t>(2 * kEllRows + 5)] == -1);
}

namespace {

// A (rows, cols) mask whose aligned br × bc tiles (smaller at the right and bottom edges, as the
// pruner cuts them) are live where keep(tile row, tile col).
template <class Keep>
Mask tile_mask(int64_t rows, int64_t cols, int64_t br, int64_t bc, Keep keep) {
  std::vector<uint8_t> live(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) live[static_cast<size_t>(r * cols + c)] = keep(r / br, c / bc) ? 1 : 0;
  return Mask(live);
}

}  // namespace

TEST_CASE("mask: the block view detects 4x4, 4x1 and 1x4 structure and lists blocks by row and column") {
  // (8, 12) in 4×4 tiles: block row 0 keeps block columns 0 and 2, block row 1 keeps column 2.
  const Mask mask = tile_mask(8, 12, 4, 4, [](int64_t b, int64_t c) { return (b == 0 && c != 1) || (b == 1 && c == 2); });
  const MaskIndex& ix = mask.index(8, 12);
  CHECK(ix.block_rows == 4);
  CHECK(ix.block_cols == 4);
  CHECK(ix.blocked());
  CHECK(ix.blocks() == 3);
  CHECK(ix.bsr_ptr == std::vector<int32_t>{0, 2, 3});
  CHECK(ix.bsr_col == std::vector<int32_t>{0, 2, 2});
  CHECK(ix.bsr_pos == std::vector<int32_t>{0, 8, 4 * 12 + 8});
  CHECK(ix.bsc_ptr == std::vector<int32_t>{0, 1, 1, 3});
  CHECK(ix.bsc_row == std::vector<int32_t>{0, 0, 1});
  CHECK(ix.bsc_pos == std::vector<int32_t>{0, 8, 4 * 12 + 8});
  // The same bits read as (12, 8) are not 4×4 tiles; each run of 4 within a row is, so they are 1×4.
  CHECK(mask.index(12, 8).block_rows == 1);
  CHECK(mask.index(12, 8).block_cols == 4);
  // Column blocks: 4×1, and 1×8 row blocks read as 1×4.
  const Mask cols4 = tile_mask(8, 6, 4, 1, [](int64_t b, int64_t c) { return (b + c) % 3 == 0; });
  CHECK(cols4.index(8, 6).block_rows == 4);
  CHECK(cols4.index(8, 6).block_cols == 1);
  const Mask rows8 = tile_mask(3, 16, 1, 8, [](int64_t b, int64_t c) { return b != c; });
  CHECK(rows8.index(3, 16).block_rows == 1);
  CHECK(rows8.index(3, 16).block_cols == 4);
  CHECK(rows8.index(3, 16).bsr_col == std::vector<int32_t>{2, 3, 0, 1, 0, 1, 2, 3});
}

TEST_CASE("mask: the block view is empty for element masks and needs shapes that divide the matrix") {
  // An element mask: no block structure, no block arrays (the CSR view is the 1×1 case).
  const Mask element(std::vector<uint8_t>{1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1});
  const MaskIndex& ix = element.index(4, 4);
  CHECK_FALSE(ix.blocked());
  CHECK(ix.block_rows == 1);
  CHECK(ix.block_cols == 1);
  CHECK(ix.blocks() == 0);
  CHECK(ix.bsr_ptr.empty());
  CHECK(ix.bsc_ptr.empty());
  // 4×4 pruning tiles on (6, 8): the bottom tiles are 2 × 4, 4 does not divide 6, so the view is 1×4
  // (Note [Mask index views]: no partial edge blocks).
  const Mask edge = tile_mask(6, 8, 4, 4, [](int64_t b, int64_t c) { return b != c; });
  const MaskIndex& ex = edge.index(6, 8);
  CHECK(ex.block_rows == 1);
  CHECK(ex.block_cols == 4);
  CHECK(ex.bsr_ptr == std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6});
  CHECK(ex.bsr_col == std::vector<int32_t>{1, 1, 1, 1, 0, 0});
  // 4×4 tiles on (6, 5): neither 4 divides 5 nor does 1×4 fit, so no block structure.
  CHECK_FALSE(tile_mask(6, 5, 4, 4, [](int64_t b, int64_t c) { return b != c; }).index(6, 5).blocked());
}
