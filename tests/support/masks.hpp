#pragma once
// Random masks for tests of masked kernels, ops and models.
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "synapse/core/mask.hpp"
#include "synapse/core/tensor.hpp"

namespace syn::testing {

// Each of n entries live with probability `density` (a fixed-seed stream).
inline std::shared_ptr<const Mask> random_mask(int64_t n, double density, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::bernoulli_distribution live(density);
  std::vector<uint8_t> bits(static_cast<size_t>(n));
  for (auto& b : bits) b = live(gen) ? 1 : 0;
  return std::make_shared<const Mask>(bits);
}

// t with a random mask of the given density installed (dead entries zeroed).
inline Tensor masked(Tensor t, double density, uint64_t seed) {
  t.set_mask(random_mask(t.numel(), density, seed));
  return t;
}

// A (rows, cols) mask of aligned br × bc blocks (br, bc dividing rows, cols), each block live with
// probability `density`.
inline std::shared_ptr<const Mask> random_block_mask(int64_t rows, int64_t cols, int64_t br, int64_t bc,
                                                     double density, uint64_t seed) {
  const auto blocks = random_mask(rows / br * (cols / bc), density, seed);
  std::vector<uint8_t> bits(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) bits[static_cast<size_t>(r * cols + c)] = blocks->live(r / br * (cols / bc) + c / bc);
  return std::make_shared<const Mask>(bits);
}

// 2-D t with a random block mask of the first shape of kBlockShapes that divides it (Note [Mask index
// views]), or an element mask where none does.
inline Tensor block_masked(Tensor t, double density, uint64_t seed) {
  for (const BlockShape shape : kBlockShapes)
    if (t.size(0) % shape.rows == 0 && t.size(1) % shape.cols == 0) {
      t.set_mask(random_block_mask(t.size(0), t.size(1), shape.rows, shape.cols, density, seed));
      return t;
    }
  return masked(t, density, seed);
}

}  // namespace syn::testing
