#include "npy_file.hpp"

#include <bit>
#include <cstring>
#include <string>

#include "synapse/train/atomic_file.hpp"

namespace syn::apps {
namespace {

static_assert(std::endian::native == std::endian::little, ".npy files are written little-endian");

void write_array(const std::filesystem::path& path, const Shape& shape, const char* descr, const void* data,
                 size_t bytes) {
  std::string dims;
  for (int64_t d = 0; d < shape.rank(); ++d) dims += std::to_string(shape[d]) + ", ";
  if (shape.rank() > 1) dims.resize(dims.size() - 2);  // "(3, 4)"; a 1-D shape keeps "(3,)"
  else if (shape.rank() == 1) dims.resize(dims.size() - 1);
  std::string header = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t unpadded = 10 + header.size() + 1;  // magic + version + length field, header, '\n'
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back('\x01');
  out.push_back('\x00');
  const auto length = static_cast<uint16_t>(header.size());
  out.push_back(static_cast<char>(length & 0xff));
  out.push_back(static_cast<char>(length >> 8));
  out += header;
  out.append(static_cast<const char*>(data), bytes);
  train::write_file_atomically(path, out);
}

}  // namespace

void write_npy(const std::filesystem::path& path, const Shape& shape, const float* values) {
  write_array(path, shape, "<f4", values, sizeof(float) * static_cast<size_t>(shape.numel()));
}

void write_npy_bool(const std::filesystem::path& path, const Shape& shape, const std::vector<uint8_t>& values) {
  write_array(path, shape, "|b1", values.data(), values.size());
}

}  // namespace syn::apps
