#pragma once
// parallel_for: the one threading primitive (OpenMP underneath).
//
// Note [Determinism]
// Work is partitioned over outputs: every output element is written by exactly one thread, and
// the value a kernel computes for an element never depends on where its chunk starts (tails go
// through the same vector code as the body). Floating-point reductions never use OpenMP's
// reduction(+:); they sum fixed-size blocks (kReduceBlock elements, independent of the thread
// count) and then add the block results in index order. Consequence: for a given instruction set,
// results are bitwise identical for any number of threads. tests/ops check 1 vs 2 threads.
#include <algorithm>
#include <cstdint>

#if defined(SYN_HAVE_OPENMP)
#include <omp.h>
#endif

namespace syn {

// Elements per block in deterministic reductions (Note [Determinism]).
inline constexpr int64_t kReduceBlock = 4096;

int num_threads();
void set_num_threads(int n);
// For tests: while alive, every parallel_for uses this grain (1 forces splitting small inputs).
class GrainOverride {
 public:
  explicit GrainOverride(int64_t grain);
  ~GrainOverride();
  GrainOverride(const GrainOverride&) = delete;
  GrainOverride& operator=(const GrainOverride&) = delete;

 private:
  int64_t previous_;
};
int64_t grain_override();  // 0 when none

// Calls f(begin, end) on disjoint chunks covering [0, n), each at least `grain` long (except the
// last), in parallel when there is more than one chunk and we are not already inside a parallel region.
template <class F>
void parallel_for(int64_t n, int64_t grain, F&& f) {
  if (n <= 0) return;
  if (const int64_t g = grain_override(); g > 0) grain = g;
  grain = std::max<int64_t>(grain, 1);
#if defined(SYN_HAVE_OPENMP)
  const int64_t threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  const int64_t chunks = std::min<int64_t>(threads, (n + grain - 1) / grain);
  if (chunks > 1) {
    const int64_t step = (n + chunks - 1) / chunks;
#pragma omp parallel for schedule(static) num_threads(static_cast<int>(chunks))
    for (int64_t c = 0; c < chunks; ++c) {
      const int64_t begin = c * step, end = std::min(n, begin + step);
      if (begin < end) f(begin, end);
    }
    return;
  }
#endif
  f(int64_t{0}, n);
}

}  // namespace syn
