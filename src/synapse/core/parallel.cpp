#include "synapse/core/parallel.hpp"

#include <atomic>

namespace syn {
namespace {
std::atomic<int64_t> g_grain_override{0};
}

int num_threads() {
#if defined(SYN_HAVE_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

void set_num_threads(int n) {
#if defined(SYN_HAVE_OPENMP)
  omp_set_num_threads(n < 1 ? 1 : n);
#else
  (void)n;
#endif
}

GrainOverride::GrainOverride(int64_t grain) : previous_(g_grain_override.exchange(grain)) {}
GrainOverride::~GrainOverride() { g_grain_override.store(previous_); }
int64_t grain_override() { return g_grain_override.load(std::memory_order_relaxed); }

}  // namespace syn
