#pragma once
// ByteReader: reads what ByteWriter wrote, bounds-checked. Every read names the field it reads, so
// that a short or damaged file gives a ValueError like
//   checkpoint 'model.syn': truncated at field 'tensor weight data' (needs 4096 bytes at offset 120,
//   12 left)
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "synapse/core/error.hpp"

namespace syn::train {

class ByteReader {
 public:
  // `what` prefixes every message, e.g. "checkpoint 'model.syn'".
  ByteReader(std::span<const char> bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

  template <class T>
  T get(std::string_view field) {
    static_assert(std::is_arithmetic_v<T>);
    T value;
    std::memcpy(&value, take(sizeof value, field), sizeof value);
    return value;
  }
  // A u32 length then that many bytes, at most max_size.
  std::string str(std::string_view field, size_t max_size = 1 << 20);
  // `count` values of T.
  template <class T>
  std::vector<T> array(size_t count, std::string_view field) {
    SYN_CHECK_T(ValueError, count <= remaining() / sizeof(T), what_, ": truncated at field '", field,
                "' (needs ", count, " values of ", sizeof(T), " bytes at offset ", offset_, ", ", remaining(),
                " bytes left)");
    std::vector<T> out(count);
    if (count) std::memcpy(out.data(), take(count * sizeof(T), field), count * sizeof(T));
    return out;
  }
  // A u32 count of entries that each take at least min_entry_bytes: checked against what is left,
  // so a damaged count cannot ask for a huge allocation.
  uint32_t count(std::string_view field, size_t min_entry_bytes);

  size_t remaining() const { return bytes_.size() - offset_; }
  // ValueError naming `field` with `message`.
  [[noreturn]] void fail(std::string_view field, std::string_view message) const;

 private:
  const char* take(size_t size, std::string_view field);

  std::span<const char> bytes_;
  std::string what_;
  size_t offset_ = 0;
};

}  // namespace syn::train
