#pragma once
// Which parameters a pruner prunes (Note [Prunable tensors]).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "synapse/nn/module.hpp"

namespace syn::pruning {

// Note [Prunable tensors]
// By default a parameter is pruned when it is a matrix (rank >= 2) whose own name (the part after
// the last '.') contains "weight": every Linear weight (attention out_proj, FFN linear1/linear2, the
// patch embedding, the head), the fused attention in_proj_weight and the recurrent weight_ih_l{k} /
// weight_hh_l{k} (all gates). Biases and normalisation gains (vectors) and positional encodings
// (`pos`) are not. Include patterns add parameters, exclude patterns remove them (exclude wins).
// A pattern is a glob matched against the whole dotted name: '*' matches any run of characters,
// dots included, '?' one character, everything else itself ("*.bias", "*norm*.weight",
// "rnn.weight_hh_l0"). The study's patch transformer also prunes its LayerNorm gains: add
// "*norm?.weight" to reproduce it.

// Whole-name glob match as described above.
bool glob_match(std::string_view pattern, std::string_view name);

// The default rule above.
bool prunable_by_default(const std::string& name, const Tensor& parameter);

// Indices into params of the tensors to prune, in params' order. ValueError when an include or
// exclude pattern matches no parameter (listing the parameter names) or when nothing is left.
std::vector<size_t> select_prunable(const nn::NamedTensors& params, const std::vector<std::string>& include,
                                    const std::vector<std::string>& exclude);

}  // namespace syn::pruning
