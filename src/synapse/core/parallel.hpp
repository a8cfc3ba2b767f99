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
#include <atomic>
#include <cstdint>
#include <exception>

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

// Note [Exceptions in parallel_for]
// An exception must not leave an OpenMP region (that calls std::terminate). Each chunk runs inside a
// try block; the first exception caught is kept, chunks that have not started yet are skipped, the
// region ends as usual (every thread joined), and the kept exception is rethrown to the caller as it
// was thrown (same type and message). Chunks already running finish, so a body may have written part
// of its output: callers publish results only after parallel_for returns, so a throw publishes none.

// Calls f(begin, end) on disjoint chunks covering [0, n), each at least `grain` long (except the
// last), in parallel when there is more than one chunk and we are not already inside a parallel region.
// An exception from f reaches the caller (Note [Exceptions in parallel_for]).
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
    std::exception_ptr error;
    std::atomic<bool> failed{false};
#pragma omp parallel for schedule(static) num_threads(static_cast<int>(chunks))
    for (int64_t c = 0; c < chunks; ++c) {
      const int64_t begin = c * step, end = std::min(n, begin + step);
      if (begin >= end || failed.load(std::memory_order_relaxed)) continue;
      try {
        f(begin, end);
      } catch (...) {
#pragma omp critical(syn_parallel_for_error)
        if (!error) error = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
    if (error) std::rethrow_exception(error);
    return;
  }
#endif
  f(int64_t{0}, n);
}

}  // namespace syn
