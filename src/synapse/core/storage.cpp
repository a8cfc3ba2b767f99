#include "synapse/core/storage.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace syn {

Storage::Storage(size_t n) : size_(n) {
  // Round the byte count up to the alignment (aligned_alloc requires it); never allocate 0 bytes.
  size_t bytes = (n * sizeof(float) + kStorageAlignment - 1) / kStorageAlignment * kStorageAlignment;
  if (bytes == 0) bytes = kStorageAlignment;
  data_ = static_cast<float*>(std::aligned_alloc(kStorageAlignment, bytes));
  if (!data_) throw std::bad_alloc();
  std::memset(data_, 0, bytes);
}

Storage::~Storage() { std::free(data_); }

}  // namespace syn
