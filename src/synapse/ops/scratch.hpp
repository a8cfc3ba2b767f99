#pragma once
// Scratch: uninitialised, aligned float buffers for the inside of an op.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "synapse/core/buffer_cache.hpp"

namespace syn::detail {

// Elements (or multiply-adds) a parallel chunk should carry before work is split between threads.
inline constexpr int64_t kChunkWork = int64_t{1} << 16;

// Uninitialised, 64-byte aligned floats for buffers that are written before they are read and never
// leave an op, from the buffer cache (Note [Buffer cache]), like Tensor::empty (Note [Uninitialised
// tensors]) but without a tensor's handle and version counter. n == 0 allocates nothing.
// Scratch's deleter: returns the block to the buffer cache.
struct ScratchFree {
  size_t bytes = 0;
  void operator()(float* p) const { cached_free(p, bytes); }
};

class Scratch {
 public:
  Scratch() = default;  // no buffer
  explicit Scratch(int64_t n) {
    if (n <= 0) return;
    const size_t bytes = static_cast<size_t>(n) * sizeof(float);
    data_ = std::unique_ptr<float, ScratchFree>(static_cast<float*>(cached_alloc(bytes)), ScratchFree{bytes});
  }
  float* data() const { return data_.get(); }

 private:
  std::unique_ptr<float, ScratchFree> data_;  // the deleter keeps the size the cache needs
};

}  // namespace syn::detail
