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

}  // namespace syn::testing
