#include "synapse/train/byte_reader.hpp"

namespace syn::train {

const char* ByteReader::take(size_t size, std::string_view field) {
  SYN_CHECK_T(ValueError, size <= remaining(), what_, ": truncated at field '", field, "' (needs ", size,
              " bytes at offset ", offset_, ", ", remaining(), " left)");
  const char* p = bytes_.data() + offset_;
  offset_ += size;
  return p;
}

std::string ByteReader::str(std::string_view field, size_t max_size) {
  const uint32_t size = get<uint32_t>(field);
  if (size > max_size)
    fail(field, detail::concat("length ", size, " exceeds the limit of ", max_size, " bytes"));
  const char* p = take(size, field);
  return std::string(p, size);
}

uint32_t ByteReader::count(std::string_view field, size_t min_entry_bytes) {
  const uint32_t n = get<uint32_t>(field);
  if (min_entry_bytes && n > remaining() / min_entry_bytes)
    fail(field, detail::concat("count ", n, " cannot fit in the ", remaining(), " bytes left"));
  return n;
}

void ByteReader::fail(std::string_view field, std::string_view message) const {
  throw ValueError(detail::concat(what_, ": field '", field, "': ", message));
}

}  // namespace syn::train
