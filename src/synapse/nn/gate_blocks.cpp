#include "synapse/nn/gate_blocks.hpp"

#include "synapse/core/mask.hpp"

namespace syn::nn {

std::vector<GateBlock> gate_blocks(std::string_view model_kind, std::string_view name, const Tensor& weight) {
  std::vector<std::string> gates;
  if (model_kind == "lstm") gates = {"i", "f", "g", "o"};
  if (model_kind == "gru") gates = {"r", "z", "n"};
  const size_t dot = name.rfind('.');
  const std::string_view leaf = dot == std::string_view::npos ? name : name.substr(dot + 1);
  const bool recurrent_weight = leaf.starts_with("weight_ih_l") || leaf.starts_with("weight_hh_l");
  const int64_t count = static_cast<int64_t>(gates.size());
  if (gates.empty() || !recurrent_weight || weight.rank() != 2 || weight.size(0) % count != 0) return {};
  const int64_t rows = weight.size(0) / count, cols = weight.size(1);
  const MaskIndex* ix = weight.mask() ? &weight.mask()->index(weight.size(0), cols) : nullptr;
  std::vector<GateBlock> blocks;
  for (int64_t g = 0; g < count; ++g) {
    const int64_t begin = g * rows, numel = rows * cols;
    const int64_t live = ix ? ix->row_ptr[begin + rows] - ix->row_ptr[begin] : numel;
    blocks.push_back({gates[g], begin, rows, numel, live});
  }
  return blocks;
}

}  // namespace syn::nn
