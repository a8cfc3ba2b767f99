#include "synapse/pruning/pruner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <tuple>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/pruning/selection.hpp"

namespace syn::pruning {
namespace {

constexpr uint64_t kRandomScoreStream = 0x5052;  // Generator(seed, kRandomScoreStream) draws random scores

struct Candidate {
  double score;
  size_t tensor;
  int64_t unit;
  int64_t live;  // live entries in the unit
  bool operator<(const Candidate& o) const {
    return std::tie(score, tensor, unit) < std::tie(o.score, o.tensor, o.unit);
  }
};

// The live flags of a tensor (all live without a mask).
std::vector<uint8_t> live_flags(const Tensor& t) {
  std::vector<uint8_t> live(static_cast<size_t>(t.numel()), 1);
  if (const auto& mask = t.mask())
    for (int64_t i = 0; i < t.numel(); ++i) live[static_cast<size_t>(i)] = mask->live(i);
  return live;
}

int64_t live_count(const Tensor& t) { return t.mask() ? t.mask()->nnz() : t.numel(); }

nn::NamedTensors chosen(const nn::NamedTensors& params, const PrunerOptions& o) {
  nn::NamedTensors out;
  for (size_t i : select_prunable(params, o.include, o.exclude)) out.push_back(params[i]);
  return out;
}

PrunerOptions with_kind(PrunerOptions o, const nn::Forecaster& model) {
  o.model_kind = model.config().kind;
  return o;
}

}  // namespace

std::string_view scope_name(Scope scope) { return scope == Scope::per_tensor ? "per-tensor" : "global"; }

Scope scope_from_name(std::string_view name) {
  if (name == "global") return Scope::global;
  if (name == "per-tensor" || name == "per_tensor") return Scope::per_tensor;
  throw ValueError(detail::concat("pruning: unknown scope '", name, "' (expected global or per-tensor)"));
}

Pruner::Pruner(const nn::NamedTensors& params, PrunerOptions options)
    : tensors_(chosen(params, options)),
      options_(std::move(options)),
      gate_names_(recurrent_gate_names(options_.model_kind)),
      gen_(options_.seed, kRandomScoreStream) {
  for (const auto& [_, t] : tensors_) layouts_.emplace_back(t.shape(), options_.granularity);
}

Pruner::Pruner(const nn::Forecaster& model, PrunerOptions options)
    : Pruner(model.named_parameters(), with_kind(std::move(options), model)) {}

PruneReport Pruner::prune(double target) {
  SYN_CHECK_T(ValueError, target >= 0.0 && target < 1.0,
              "pruning: target sparsity must be in [0, 1) (cap schedule values >= 1 first), got ", target);
  const bool global = options_.scope == Scope::global;
  std::vector<double> tensor_thresholds(tensors_.size(), kNoValue);
  double global_threshold = kNoValue;
  std::vector<std::vector<uint8_t>> live(tensors_.size());  // new flags of the tensors that change

  // Groups of tensor indices [first, last): one group of all tensors, or one per tensor.
  const size_t n = tensors_.size();
  for (size_t first = 0; first < n; first = global ? n : first + 1) {
    const size_t last = global ? n : first + 1;
    int64_t size = 0, dead = 0;
    std::vector<Candidate> candidates;
    for (size_t t = first; t < last; ++t) {
      const auto& [name, w] = tensors_[t];
      size += w.numel();
      dead += w.numel() - live_count(w);
      const std::vector<double> scores = unit_scores(options_.score, w, name, layouts_[t], gen_);
      const auto& mask = w.mask();
      for (int64_t u = 0; u < layouts_[t].units(); ++u) {
        int64_t unit_live = 0;
        layouts_[t].for_each_element(u, [&](int64_t i) { unit_live += !mask || mask->live(i); });
        if (unit_live > 0) candidates.push_back({scores[static_cast<size_t>(u)], t, u, unit_live});
      }
    }
    const int64_t want = std::min(static_cast<int64_t>(std::llround(target * static_cast<double>(size))), size - 1);
    if (want <= dead) continue;
    // Element units hold one entry each, so exactly want - dead of them die: a selection suffices.
    if (options_.granularity.kind == Granularity::Kind::element) {
      const auto kth = candidates.begin() + (want - dead - 1);
      std::nth_element(candidates.begin(), kth, candidates.end());
      std::sort(candidates.begin(), kth + 1);
    } else {
      std::sort(candidates.begin(), candidates.end());
    }
    double threshold = kNoValue;
    for (const Candidate& c : candidates) {
      if (dead >= want) break;
      auto& flags = live[c.tensor];
      if (flags.empty()) flags = live_flags(tensors_[c.tensor].second);
      layouts_[c.tensor].for_each_element(c.unit, [&](int64_t i) { flags[static_cast<size_t>(i)] = 0; });
      dead += c.live;
      threshold = c.score;
    }
    (global ? global_threshold : tensor_thresholds[first]) = threshold;
  }
  for (size_t t = 0; t < n; ++t)
    if (!live[t].empty()) tensors_[t].second.set_mask(std::make_shared<const Mask>(live[t]));

  PruneReport r = report();
  r.target = target;
  r.threshold = global_threshold;
  for (size_t t = 0; t < n; ++t) r.tensors[t].threshold = tensor_thresholds[t];
  return r;
}

PruneReport Pruner::report() const {
  PruneReport r;
  for (const auto& [name, w] : tensors_) {
    r.tensors.push_back(tensor_report(name, w, gate_names_));
    r.size += r.tensors.back().size;
    r.live += r.tensors.back().live;
  }
  r.achieved = sparsity_of(r.live, r.size);
  return r;
}

double Pruner::sparsity() const {
  int64_t size = 0, live = 0;
  for (const auto& [_, w] : tensors_) {
    size += w.numel();
    live += live_count(w);
  }
  return sparsity_of(live, size);
}

}  // namespace syn::pruning
