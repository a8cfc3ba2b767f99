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
// leave an op (tensor storage is zero-filled, which would cost a pass over these large buffers for
// nothing), from the buffer cache (Note [Buffer cache]). n == 0 allocates nothing.
// Scratch's deleter: returns the block to the buffer cache.
struct ScratchFree {
  size_t bytes = 0;
  void operator()(float* p) const { cached_free(p, bytes); }
};

class Scratch {
 public:
  Scratch() = default;  // no buffer
  explicit Scratch(int64_t n) : bytes_(n > 0 ? static_cast<size_t>(n) * sizeof(float) : 0) {
    if (bytes_) data_.reset(static_cast<float*>(cached_alloc(bytes_)));
    data_.get_deleter().bytes = bytes_;
  }
  float* data() const { return data_.get(); }

 private:
  size_t bytes_ = 0;
  std::unique_ptr<float, ScratchFree> data_;
};

}  // namespace syn::detail
