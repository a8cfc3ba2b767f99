#pragma once
// Cached allocation of large, 64-byte aligned buffers, so that a steady-state training step (which
// asks for the same sizes every step) reuses memory instead of getting fresh pages from the system.
//
// Note [Buffer cache]
// glibc returns large freed blocks to the system (mmap'd blocks at once, the heap's top past its trim
// threshold), so every step of a training loop page-faults its large buffers in again: measured as
// 35 % of a 90 %-sparse LSTM step. Blocks of at least kCachedBytes are therefore kept after release
// in a per-thread cache of size classes (four per power of two, so a reused block is at most 25 %
// larger than asked) and handed out again for the same class; smaller ones go straight to malloc.
// Each thread's cache holds at most kCacheCapBytes (a block that would exceed it is freed), and is
// freed when the thread ends or on release_cached_memory(). A block may be released on another
// thread than the one that allocated it: it then joins that thread's cache. Reused blocks are not
// zeroed. Every call is counted (BufferCacheStats, per thread), so benchmarks report allocations
// per step.
#include <cstddef>
#include <cstdint>

namespace syn {

inline constexpr size_t kCachedBytes = size_t{64} << 10;
inline constexpr size_t kCacheCapBytes = size_t{1} << 30;

// At least `bytes` (> 0), 64-byte aligned; std::bad_alloc when the system refuses.
void* cached_alloc(size_t bytes);
// Returns a block of cached_alloc(bytes) (the same `bytes`).
void cached_free(void* p, size_t bytes);
// Frees every block cached by the calling thread.
void release_cached_memory();

// The calling thread's cached_alloc calls since it started: blocks below kCachedBytes (straight to
// malloc), large blocks served from the cache, and large blocks the cache missed (fresh from the
// system); cached_bytes is what its cache holds now.
struct BufferCacheStats {
  uint64_t small = 0, hits = 0, misses = 0;
  size_t cached_bytes = 0;
  uint64_t allocations() const { return small + hits + misses; }
};
BufferCacheStats buffer_cache_stats();

}  // namespace syn
