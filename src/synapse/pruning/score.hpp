#pragma once
// Pruning scores: the lower a unit's score, the earlier it is pruned.
#include <string_view>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/pruning/granularity.hpp"

namespace syn::pruning {

enum class ScoreKind {
  magnitude,       // |w| (the study)
  random,          // uniform in [0, 1), a control; drawn afresh at every update from the pruner's seed
  grad_magnitude,  // |w · ∂L/∂w| with the gradient the tensor holds (the last backward's)
};
std::string_view score_name(ScoreKind kind);  // "magnitude" | "random" | "grad-magnitude"
// ValueError listing the names otherwise ("grad_magnitude" is read as well).
ScoreKind score_from_name(std::string_view name);

// One score per unit of `layout` (the sum of its entries' scores for magnitude and grad_magnitude;
// one draw from gen per unit, in unit order, for random). grad_magnitude throws ValueError naming
// `name` when the tensor has no gradient of its shape.
std::vector<double> unit_scores(ScoreKind kind, const Tensor& weight, const std::string& name,
                                const UnitLayout& layout, Generator& gen);

}  // namespace syn::pruning
