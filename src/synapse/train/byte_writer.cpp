#include "synapse/train/byte_writer.hpp"

#include "synapse/core/error.hpp"

namespace syn::train {

void ByteWriter::str(std::string_view s) {
  SYN_CHECK_T(ValueError, s.size() <= UINT32_MAX, "checkpoint: a string of ", s.size(), " bytes is too long");
  put(static_cast<uint32_t>(s.size()));
  raw(s.data(), s.size());
}

void ByteWriter::raw(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  bytes_.insert(bytes_.end(), p, p + size);
}

}  // namespace syn::train
