// The buffer cache (Note [Buffer cache]): large blocks are reused within a size class, aligned,
// capped, and released on request.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <thread>

#include "synapse/core/buffer_cache.hpp"

using namespace syn;

TEST_CASE("buffer cache: a released large block is handed out again for the same size class") {
  release_cached_memory();
  const size_t bytes = (size_t{1} << 20) + 4096;  // class (1 MiB, 1.25 MiB]
  void* a = cached_alloc(bytes);
  CHECK(reinterpret_cast<uintptr_t>(a) % 64 == 0);
  std::memset(a, 1, bytes);  // the whole size is usable
  cached_free(a, bytes);
  void* b = cached_alloc(bytes + 1000);  // same class (within a quarter of the power of two)
  CHECK(b == a);
  void* c = cached_alloc(bytes);  // the class's only block is in use: a new one
  CHECK(c != b);
  cached_free(b, bytes + 1000);
  cached_free(c, bytes);
  release_cached_memory();
  void* d = cached_alloc(bytes);  // after release nothing is cached (any address, usable)
  std::memset(d, 2, bytes);
  cached_free(d, bytes);
  release_cached_memory();
}

TEST_CASE("buffer cache: small blocks are not cached, and a block released on another thread is fine") {
  void* small = cached_alloc(100);
  CHECK(reinterpret_cast<uintptr_t>(small) % 64 == 0);
  cached_free(small, 100);
  void* big = cached_alloc(size_t{3} << 20);
  std::thread([&] {
    cached_free(big, size_t{3} << 20);  // joins that thread's cache, freed when it ends
  }).join();
  void* again = cached_alloc(size_t{3} << 20);
  std::memset(again, 0, size_t{3} << 20);
  cached_free(again, size_t{3} << 20);
  release_cached_memory();
}
