#include "synapse/core/buffer_cache.hpp"

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <unordered_map>
#include <vector>

namespace syn {
namespace {

constexpr size_t kAlignment = 64;

// The size class of `bytes` (>= kCachedBytes): rounded up to a quarter of its power of two.
size_t size_class(size_t bytes) {
  const size_t step = (size_t{1} << (std::bit_width(bytes) - 1)) / 4;
  return (bytes + step - 1) / step * step;
}

// Set when the thread's cache has been destroyed (thread exit): later releases (buffers owned by
// other thread_local objects destroyed after it) go straight to free. A trivially destructible
// thread_local, so it stays readable until the thread is gone.
thread_local bool cache_destroyed = false;
// Counts of cached_alloc calls (trivially destructible as well, readable at any time).
thread_local BufferCacheStats stats;

struct ThreadCache {
  std::unordered_map<size_t, std::vector<void*>> free_blocks;  // size class -> blocks
  size_t cached_bytes = 0;
  ~ThreadCache() {
    clear();
    cache_destroyed = true;
  }
  void clear() {
    for (auto& [size, blocks] : free_blocks)
      for (void* p : blocks) std::free(p);
    free_blocks.clear();
    cached_bytes = 0;
  }
};

ThreadCache& cache() {
  thread_local ThreadCache c;
  return c;
}

void* system_alloc(size_t bytes) {
  void* p = std::aligned_alloc(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

void* cached_alloc(size_t bytes) {
  if (bytes < kCachedBytes || cache_destroyed) {
    ++stats.small;
    return system_alloc(bytes);
  }
  const size_t cls = size_class(bytes);
  ThreadCache& c = cache();
  if (auto it = c.free_blocks.find(cls); it != c.free_blocks.end() && !it->second.empty()) {
    void* p = it->second.back();
    it->second.pop_back();
    c.cached_bytes -= cls;
    ++stats.hits;
    return p;
  }
  ++stats.misses;
  return system_alloc(cls);
}

void cached_free(void* p, size_t bytes) {
  if (!p) return;
  if (bytes < kCachedBytes || cache_destroyed) {
    std::free(p);
    return;
  }
  const size_t cls = size_class(bytes);
  ThreadCache& c = cache();
  if (c.cached_bytes + cls > kCacheCapBytes) {
    std::free(p);
    return;
  }
  c.free_blocks[cls].push_back(p);
  c.cached_bytes += cls;
}

void release_cached_memory() {
  if (!cache_destroyed) cache().clear();
}

BufferCacheStats buffer_cache_stats() {
  BufferCacheStats s = stats;
  s.cached_bytes = cache_destroyed ? 0 : cache().cached_bytes;
  return s;
}

}  // namespace syn
