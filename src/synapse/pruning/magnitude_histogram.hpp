#pragma once
// MagnitudeHistogram: how the live weights' magnitudes |w| are distributed, on log-spaced bins,
// for reports of what a mask update removed (the prune log's "magnitudes" before and after).
#include <cstdint>
#include <vector>

#include "synapse/nn/module.hpp"

namespace syn::pruning {

struct MagnitudeHistogram {
  std::vector<double> edges;    // bins + 1 increasing edges; bin i is [edges[i], edges[i + 1])
  std::vector<int64_t> counts;  // live entries per bin (the last bin includes its upper edge)
  int64_t zeros = 0;            // live entries that are exactly 0 (below every log bin)
};

// `bins` log-spaced bins from the smallest to the largest non-zero |w| over the live entries of
// `tensors` (one bin [1, 1] when there is none).
std::vector<double> magnitude_edges(const nn::NamedTensors& tensors, int64_t bins);

// The live entries of `tensors` counted on `edges`; magnitudes outside them go to the first or last bin.
MagnitudeHistogram magnitude_histogram(const nn::NamedTensors& tensors, const std::vector<double>& edges);

}  // namespace syn::pruning
