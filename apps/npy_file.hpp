#pragma once
// NumPy .npy files (format version 1.0), the exchange format of `synapse masks`: a magic string, a
// little-endian header dictionary (dtype, C order, shape) padded to a multiple of 64 bytes, then
// the raw little-endian data. numpy.load reads them as float32 or bool arrays.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "synapse/core/shape.hpp"

namespace syn::apps {

// Writes float32 values of `shape` atomically (Note [Atomic replace]).
void write_npy(const std::filesystem::path& path, const Shape& shape, const float* values);
// Writes a boolean array (one byte per entry, 0 or 1) of `shape` atomically.
void write_npy_bool(const std::filesystem::path& path, const Shape& shape, const std::vector<uint8_t>& values);

}  // namespace syn::apps
