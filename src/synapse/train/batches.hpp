#pragma once
// Mini-batches of windows: the visiting order of an epoch and the gathering of a batch.
#include <cstdint>
#include <span>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/forecast/windows.hpp"

namespace syn::train {

// 0..n-1, shuffled by Fisher-Yates from `gen` when `shuffle` (gen advances n-1 draws), else in order.
std::vector<int64_t> epoch_order(int64_t n, bool shuffle, Generator& gen);

struct Batch {
  Tensor inputs;   // (B, L, F)
  Tensor targets;  // (B, H)
};

// windows.inputs: (N, L, F)  windows.targets: (N, H)  indices: B values in [0, N) -> copies of
// those windows, in the order given.
Batch gather_batch(const forecast::Windows& windows, std::span<const int64_t> indices);

}  // namespace syn::train
