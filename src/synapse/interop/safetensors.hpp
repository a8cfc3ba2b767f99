#pragma once
// Safetensors files (the format of Hugging Face's safetensors, which PyTorch users exchange weights
// in): reading with every offset checked, and writing.
//
// Note [Safetensors format]
//   u64 little-endian N, then N bytes of a JSON object (UTF-8, may end in spaces), then the data buffer.
//   The object maps each tensor name to {"dtype": "F32" | "F64" | "I64" | ..., "shape": [d0, ...],
//   "data_offsets": [begin, end]} with offsets into the data buffer (relative to its start), and may hold
//   "__metadata__": {string: string}. Tensor data is row-major, little-endian.
// Reading checks, each failure a ValueError naming the file and the tensor or field: the file holds the
// 8-byte size and N header bytes; the header parses as a JSON object (nlohmann-json) whose entries have
// exactly these keys with these types; the dtype is known; dims are non-negative; begin <= end <= the
// buffer's size; end - begin = numel × the dtype's size; the tensors cover the buffer without holes or
// overlaps (as the format requires); metadata values are strings. Writing lays the tensors out in the
// order given, each right after the previous one, with the header padded by spaces to a multiple of 8.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace syn::interop {

struct SafetensorsTensor {
  std::string name;
  std::string dtype;           // "F32", "F64", "I64", "I32", "U8", "BOOL", "F16", "BF16", ...
  std::vector<int64_t> shape;  // empty for a scalar
  std::vector<std::byte> data; // numel × dtype_size(dtype) bytes, little-endian

  int64_t numel() const;
};

struct SafetensorsFile {
  std::vector<SafetensorsTensor> tensors;  // reading: in increasing data offset
  std::map<std::string, std::string> metadata;

  // nullptr when there is no tensor of that name.
  const SafetensorsTensor* find(std::string_view name) const;
};

// Bytes per element of a dtype; ValueError for a dtype the format does not define.
int64_t dtype_size(std::string_view dtype);

// `source` names the bytes in messages (the file name).
SafetensorsFile parse_safetensors(std::string_view bytes, std::string_view source);
SafetensorsFile read_safetensors(const std::filesystem::path& path);
std::string serialize_safetensors(const SafetensorsFile& file);
// Atomically (Note [Atomic replace] in train/atomic_file.hpp).
void write_safetensors(const std::filesystem::path& path, const SafetensorsFile& file);

// F32 tensors to and from floats.
SafetensorsTensor f32_tensor(std::string name, const std::vector<int64_t>& shape, const float* values);
std::vector<float> f32_values(const SafetensorsTensor& tensor);

}  // namespace syn::interop
