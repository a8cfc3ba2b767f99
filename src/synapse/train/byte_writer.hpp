#pragma once
// ByteWriter: appends little-endian binary values to a byte buffer (the checkpoint payload).
// Strings are a u32 length then the bytes; arrays are written raw (the reader knows their size).
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace syn::train {

static_assert(std::endian::native == std::endian::little, "the checkpoint format is little-endian");

class ByteWriter {
 public:
  template <class T>
  void put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    raw(&value, sizeof value);
  }
  void str(std::string_view s);
  template <class T>
  void array(std::span<const T> values) {
    raw(values.data(), values.size_bytes());
  }
  void raw(const void* data, size_t size);

  const std::vector<char>& bytes() const { return bytes_; }
  std::vector<char>& bytes() { return bytes_; }

 private:
  std::vector<char> bytes_;
};

}  // namespace syn::train
