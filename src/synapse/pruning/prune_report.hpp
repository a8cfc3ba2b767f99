#pragma once
// PruneReport: the state of the pruned tensors after a mask update (or at any time), with the
// recurrent weights also per gate.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "synapse/core/tensor.hpp"
#include "synapse/pruning/magnitude_histogram.hpp"

namespace syn::pruning {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct GateReport {
  std::string name;  // e.g. "i", "f", "g", "o"
  int64_t size = 0, live = 0;
  double sparsity = 0;
};

struct TensorReport {
  std::string name;
  int64_t size = 0, live = 0;
  double sparsity = 0;
  double threshold = kNoValue;    // per-tensor scope: the highest score pruned by this update
  std::vector<GateReport> gates;  // recurrent weights only (recurrent_gate_names)
  std::string plan;               // the kernel plan when the caller knows it; empty: not reported
};

struct PruneReport {
  int64_t step = 0, epoch = 0;  // set by the caller (the trainer callback); 0 when not in training
  double target = kNoValue;     // the sparsity asked for (after Note [Sparsity cap])
  double achieved = 0;          // over the pruned tensors: 1 − live / size
  double threshold = kNoValue;  // global scope: the highest score pruned by this update
  int64_t size = 0, live = 0;   // over the pruned tensors
  std::vector<TensorReport> tensors;
  // |w| of the live entries of all pruned tensors before and after the update, on the same bins
  // (set by the trainer callback; empty edges when not computed).
  MagnitudeHistogram before, after;
};

// Recurrent weights stack their gates as row blocks of H rows, in torch's order: LSTM i, f, g, o;
// GRU r, z, n; RNN one block, named h. Other model kinds: none.
std::vector<std::string_view> recurrent_gate_names(std::string_view model_kind);
// weight_ih_l{k} or weight_hh_l{k} (the own name, after the last '.').
bool is_recurrent_weight(std::string_view name);

// 1 − live / size (0 for an empty tensor).
double sparsity_of(int64_t live, int64_t size);
// The live count and sparsity of `weight` (its mask's nnz, or every entry without a mask); per gate
// when gate_names is not empty and name is a recurrent weight whose rows divide into the gates.
TensorReport tensor_report(const std::string& name, const Tensor& weight,
                           const std::vector<std::string_view>& gate_names);

}  // namespace syn::pruning
