#include "synapse/pruning/magnitude_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "synapse/core/mask.hpp"

namespace syn::pruning {
namespace {

// f(|w|) for every live entry of every tensor.
template <class F>
void for_each_live_magnitude(const nn::NamedTensors& tensors, F&& f) {
  for (const auto& [name, t] : tensors) {
    const float* p = t.data();
    if (const auto& mask = t.mask()) {
      for (int64_t i : mask->live_indices()) f(std::fabs(static_cast<double>(p[i])));
    } else {
      for (int64_t i = 0; i < t.numel(); ++i) f(std::fabs(static_cast<double>(p[i])));
    }
  }
}

}  // namespace

std::vector<double> magnitude_edges(const nn::NamedTensors& tensors, int64_t bins) {
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for_each_live_magnitude(tensors, [&](double a) {
    if (a > 0) lo = std::min(lo, a);
    hi = std::max(hi, a);
  });
  if (!(hi > 0)) return {1.0, 1.0};
  std::vector<double> edges(static_cast<size_t>(bins + 1));
  const double l0 = std::log(lo), l1 = std::log(hi);
  for (int64_t i = 0; i <= bins; ++i) edges[i] = std::exp(l0 + (l1 - l0) * static_cast<double>(i) / bins);
  edges.front() = lo;
  edges.back() = hi;
  return edges;
}

MagnitudeHistogram magnitude_histogram(const nn::NamedTensors& tensors, const std::vector<double>& edges) {
  MagnitudeHistogram h;
  h.edges = edges;
  h.counts.assign(edges.size() - 1, 0);
  for_each_live_magnitude(tensors, [&](double a) {
    if (a == 0) {
      ++h.zeros;
      return;
    }
    const auto it = std::upper_bound(edges.begin() + 1, edges.end() - 1, a);
    ++h.counts[static_cast<size_t>(it - (edges.begin() + 1))];
  });
  return h;
}

}  // namespace syn::pruning
