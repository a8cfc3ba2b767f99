#include "synapse/pruning/prune_report.hpp"

#include "synapse/core/mask.hpp"

namespace syn::pruning {

std::vector<std::string_view> recurrent_gate_names(std::string_view model_kind) {
  if (model_kind == "lstm") return {"i", "f", "g", "o"};
  if (model_kind == "gru") return {"r", "z", "n"};
  if (model_kind == "rnn") return {"h"};
  return {};
}

bool is_recurrent_weight(std::string_view name) {
  const size_t dot = name.rfind('.');
  const std::string_view own = dot == std::string_view::npos ? name : name.substr(dot + 1);
  return own.starts_with("weight_ih_l") || own.starts_with("weight_hh_l");
}

double sparsity_of(int64_t live, int64_t size) {
  return size ? 1.0 - static_cast<double>(live) / static_cast<double>(size) : 0.0;
}

TensorReport tensor_report(const std::string& name, const Tensor& weight,
                           const std::vector<std::string_view>& gate_names) {
  const auto& mask = weight.mask();
  TensorReport r;
  r.name = name;
  r.size = weight.numel();
  r.live = mask ? mask->nnz() : r.size;
  r.sparsity = sparsity_of(r.live, r.size);
  const int64_t gates = static_cast<int64_t>(gate_names.size());
  if (gates == 0 || !is_recurrent_weight(name) || weight.rank() != 2 || weight.size(0) % gates != 0) return r;
  const int64_t gate_size = r.size / gates;
  for (int64_t k = 0; k < gates; ++k) {
    GateReport g{std::string(gate_names[static_cast<size_t>(k)]), gate_size, gate_size, 0.0};
    if (mask) {
      g.live = 0;
      for (int64_t i = k * gate_size; i < (k + 1) * gate_size; ++i) g.live += mask->live(i);
    }
    g.sparsity = sparsity_of(g.live, g.size);
    r.gates.push_back(std::move(g));
  }
  return r;
}

}  // namespace syn::pruning
