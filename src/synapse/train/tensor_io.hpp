#pragma once
// Named tensors with their masks in the binary files (checkpoints, training states):
//   str name, u32 rank, rank × i64 dims, numel × f32 values, u8 has_mask,
//   [i64 nnz, ceil(numel / 64) × u64 live bits]
#include <cstdint>
#include <string>
#include <utility>

#include "synapse/core/tensor.hpp"
#include "synapse/train/byte_reader.hpp"
#include "synapse/train/byte_writer.hpp"

namespace syn::train {

// ValueError when t is undefined.
void write_tensor(ByteWriter& w, const std::string& name, const Tensor& t);

// Reads one tensor written by write_tensor; `index` names it in messages until its name is read.
// Every field is checked (rank at most 8, dims that fit in the bytes left, mask nnz against its bits,
// dead entries exactly 0): a ValueError names the field.
std::pair<std::string, Tensor> read_tensor(ByteReader& r, uint32_t index);

}  // namespace syn::train
