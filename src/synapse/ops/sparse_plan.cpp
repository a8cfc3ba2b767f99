#include "synapse/ops/sparse_plan.hpp"

#include <atomic>
#include <cstdlib>
#include <string_view>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

namespace syn {
namespace {

enum class Forced { none, dense, sparse };

Forced env_plan() {
  static const Forced forced = [] {
    const char* value = std::getenv("SYN_SPARSE_PLAN");
    const std::string_view v = value ? value : "";
    if (v.empty() || v == "auto") return Forced::none;
    if (v == "dense") return Forced::dense;
    if (v == "sparse") return Forced::sparse;
    throw ValueError(detail::concat("SYN_SPARSE_PLAN=", v, ": expected dense, sparse or auto"));
  }();
  return forced;
}

// SparsePlanOverride's plan (as Forced), or -1 when none is alive.
std::atomic<int> g_override{-1};

Forced forced_plan() {
  const int o = g_override.load(std::memory_order_relaxed);
  return o >= 0 ? static_cast<Forced>(o) : env_plan();
}

}  // namespace

const char* sparse_plan_name(SparsePlan plan) { return plan == SparsePlan::sparse ? "sparse" : "dense"; }

SparsePlan choose_sparse_plan(double density, int64_t batch, int64_t m, int64_t k) {
  // Crossovers from bench/bench_sparse_ops.cpp (bench/README.md "Sparse crossovers").
  (void)m;
  (void)k;
  const double crossover = batch == 1 ? 0.5 : 0.3;
  return density <= crossover ? SparsePlan::sparse : SparsePlan::dense;
}

SparsePlanOverride::SparsePlanOverride(SparsePlan plan)
    : previous_(g_override.exchange(static_cast<int>(plan == SparsePlan::sparse ? Forced::sparse : Forced::dense))) {}

SparsePlanOverride::~SparsePlanOverride() { g_override.store(previous_); }

SparsePlan sparse_plan_for(const Tensor& weight, int64_t batch) {
  const auto& mask = weight.mask();
  if (!mask || weight.rank() != 2) return SparsePlan::dense;
  switch (forced_plan()) {
    case Forced::dense:
      return SparsePlan::dense;
    case Forced::sparse:
      return SparsePlan::sparse;
    case Forced::none:
      break;
  }
  return choose_sparse_plan(mask->density(), batch, weight.size(0), weight.size(1));
}

}  // namespace syn
