#pragma once
// Scratch: uninitialised, aligned float buffers for the inside of an op.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

namespace syn::detail {

// Elements (or multiply-adds) a parallel chunk should carry before work is split between threads.
inline constexpr int64_t kChunkWork = int64_t{1} << 16;

// Uninitialised, 64-byte aligned floats for buffers that are written before they are read and never
// leave an op (tensor storage is zero-filled, which would cost a pass over these large buffers for
// nothing). n == 0 allocates nothing.
class Scratch {
 public:
  Scratch() = default;  // no buffer
  explicit Scratch(int64_t n) {
    if (n <= 0) return;
    data_.reset(static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>((n * 4 + 63) / 64 * 64))));
    if (!data_) throw std::bad_alloc();
  }
  float* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
};

}  // namespace syn::detail
