#pragma once
// The sparsity ramps of the pruning schedules as pure functions of time (schedule.hpp decides when
// masks are updated). Each returns the target fraction of pruned weights; values >= 1 are possible
// (the study's LSTM ramp) and are capped by cap_target before a pruner sees them.
#include <cstdint>
#include <string>

namespace syn::pruning {

// Zhu & Gupta 2017 (TF-MOT PolynomialDecay with power 3, SparseML GMP):
//   s_t = s_f + (s_i − s_f)·(1 − p)³,  p = clamp((t − begin)/(end − begin), 0, 1).
// Fast early, slow late. end > begin.
double zhu_gupta_sparsity(double s_i, double s_f, double t, double begin, double end);

// Linear ramp: s_t = s_i + (s_f − s_i)·p with the same p as zhu_gupta. end > begin.
double linear_sparsity(double s_i, double s_f, double t, double begin, double end);

// The study's per-epoch ramp (Vos et al. 2025, RNN.py / LSTM.py / PATCHTST.py), 0-based epoch e:
//   s = 0                                   while e < warmup
//   s = s_min + (s_max − s_min)·p³,  p = clip((e − warmup)/(total − warmup), 0, 1)   otherwise.
// Slow early, fast late; with 0-based epochs p never reaches 1 within `total` epochs. total > warmup.
double paper_ramp_sparsity(double s_min, double s_max, int64_t epoch0, int64_t warmup, int64_t total);

// Note [Sparsity cap]
// A schedule target >= 1 would prune every weight. The study's code silently stops pruning once its
// target reaches the number of live weights (its LSTM ramp passes 1 at epoch 18 of 20), having last
// pruned at a target of about 0.99. synapse prunes to kSparsityCap instead and warns once, naming the
// schedule value. Targets below 1 are used as they are.
inline constexpr double kSparsityCap = 0.99;

struct CappedTarget {
  double target = 0;    // what the pruner is asked for: min(raw, kSparsityCap) when raw >= 1
  bool capped = false;  // raw >= 1
};
CappedTarget cap_target(double raw);

}  // namespace syn::pruning
