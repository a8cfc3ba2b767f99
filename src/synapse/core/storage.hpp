#pragma once
// Storage: a 64-byte aligned float buffer shared by a tensor and its views, with the version
// counter that every in-place write bumps (Note [Saved tensor versions] in core/node.hpp).
#include <cstddef>
#include <cstdint>

#include "synapse/core/shape.hpp"

namespace syn {

inline constexpr size_t kStorageAlignment = 64;

class Storage {
 public:
  // Allocates shape.numel() floats, uninitialised (Note [Uninitialised tensors] in core/tensor.hpp).
  // AllocationError naming the shape and the bytes asked when the size overflows or the system
  // refuses the memory.
  explicit Storage(const Shape& shape);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }
  uint64_t version() const { return version_; }
  void bump_version() { ++version_; }

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
  uint64_t version_ = 0;
};

}  // namespace syn
