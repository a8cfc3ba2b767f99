#include "synapse/pruning/granularity.hpp"

#include <charconv>

#include "synapse/core/error.hpp"

namespace syn::pruning {
namespace {

bool parse_positive(std::string_view text, int64_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty() && out > 0;
}

}  // namespace

Granularity Granularity::parse(std::string_view text) {
  if (text == "element") return {};
  if (text == "row") return {Kind::row, 1, 1};
  constexpr std::string_view prefix = "block:";
  if (text.substr(0, prefix.size()) == prefix) {
    const std::string_view dims = text.substr(prefix.size());
    const size_t x = dims.find('x');
    Granularity g{Kind::block, 0, 0};
    if (x != std::string_view::npos && parse_positive(dims.substr(0, x), g.block_rows) &&
        parse_positive(dims.substr(x + 1), g.block_cols))
      return g;
  }
  throw ValueError(detail::concat("pruning: unknown granularity '", text,
                                  "' (expected element, row or block:RxC with whole numbers R, C > 0, e.g. "
                                  "block:4x4)"));
}

std::string Granularity::name() const {
  switch (kind) {
    case Kind::row:
      return "row";
    case Kind::block:
      return detail::concat("block:", block_rows, "x", block_cols);
    case Kind::element:
      break;
  }
  return "element";
}

UnitLayout::UnitLayout(const Shape& shape, const Granularity& g) {
  rows_ = shape.rank() == 0 ? 1 : shape[0];
  cols_ = rows_ ? shape.numel() / rows_ : 0;
  switch (g.kind) {
    case Granularity::Kind::row:
      tile_rows_ = 1;
      tile_cols_ = std::max<int64_t>(cols_, 1);
      break;
    case Granularity::Kind::block:
      SYN_CHECK_T(ValueError, g.block_rows > 0 && g.block_cols > 0, "pruning: block granularity needs sizes > 0, got ",
                  g.block_rows, "x", g.block_cols);
      tile_rows_ = g.block_rows;
      tile_cols_ = g.block_cols;
      break;
    case Granularity::Kind::element:
      tile_rows_ = tile_cols_ = 1;
      break;
  }
  grid_rows_ = (rows_ + tile_rows_ - 1) / tile_rows_;
  grid_cols_ = (cols_ + tile_cols_ - 1) / tile_cols_;
}

}  // namespace syn::pruning
