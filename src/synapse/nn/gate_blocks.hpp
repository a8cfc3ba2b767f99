#pragma once
// The gate blocks of a recurrent weight, for per-gate sparsity reports: the rows of
// `weight_ih_l<k>` / `weight_hh_l<k>` of an LSTM or GRU are the gates stacked in torch's order
// (Note [Gate layouts] in ops/kernels/recurrent_kernels.hpp): LSTM i, f, g, o; GRU r, z, n.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synapse/core/tensor.hpp"

namespace syn::nn {

struct GateBlock {
  std::string gate;  // "i", "f", "g", "o" (lstm) or "r", "z", "n" (gru)
  int64_t row_begin = 0, rows = 0;
  int64_t numel = 0, live = 0;  // entries of the block, and how many are live under the mask
};

// The gate blocks of `weight` (named `name` in a model of `model_kind`), or none when it is not the
// input or recurrent weight of an lstm or gru layer.
std::vector<GateBlock> gate_blocks(std::string_view model_kind, std::string_view name, const Tensor& weight);

}  // namespace syn::nn
