// Safetensors reading and writing (Note [Safetensors format]).
#include "synapse/interop/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "synapse/core/error.hpp"
#include "synapse/train/atomic_file.hpp"

namespace syn::interop {
namespace {

using nlohmann::json;

// Little-endian u64 at p.
uint64_t read_u64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

int64_t checked_numel(const std::vector<int64_t>& shape, std::string_view source, std::string_view name) {
  int64_t n = 1;
  for (const int64_t d : shape) {
    SYN_CHECK_T(ValueError, d >= 0, source, ": tensor '", name, "' has a negative dimension ", d);
    SYN_CHECK_T(ValueError, d == 0 || n <= std::numeric_limits<int64_t>::max() / 64 / d, source, ": tensor '", name,
                "' is too large");
    n *= d;
  }
  return n;
}

SafetensorsTensor parse_entry(const std::string& name, const json& entry, std::string_view buffer,
                              std::string_view source, uint64_t& begin) {
  SYN_CHECK_T(ValueError, entry.is_object() && entry.size() == 3 && entry.contains("dtype") &&
                              entry.contains("shape") && entry.contains("data_offsets"),
              source, ": tensor '", name, "' must have exactly the keys dtype, shape and data_offsets");
  const json& dtype = entry["dtype"];
  const json& shape = entry["shape"];
  const json& offsets = entry["data_offsets"];
  SYN_CHECK_T(ValueError, dtype.is_string(), source, ": tensor '", name, "': dtype is not a string");
  SYN_CHECK_T(ValueError, shape.is_array(), source, ": tensor '", name, "': shape is not an array");
  SYN_CHECK_T(ValueError, offsets.is_array() && offsets.size() == 2 && offsets[0].is_number_unsigned() &&
                              offsets[1].is_number_unsigned(),
              source, ": tensor '", name, "': data_offsets is not two non-negative integers");
  SafetensorsTensor t;
  t.name = name;
  t.dtype = dtype.get<std::string>();
  for (const json& d : shape) {
    SYN_CHECK_T(ValueError, d.is_number_integer(), source, ": tensor '", name, "': shape holds a non-integer");
    t.shape.push_back(d.get<int64_t>());
  }
  const int64_t bytes = checked_numel(t.shape, source, name) * [&] {
    try {
      return dtype_size(t.dtype);
    } catch (const ValueError& e) {
      throw ValueError(detail::concat(source, ": tensor '", name, "': ", e.what()));
    }
  }();
  begin = offsets[0].get<uint64_t>();
  const uint64_t end = offsets[1].get<uint64_t>();
  SYN_CHECK_T(ValueError, begin <= end && end <= buffer.size(), source, ": tensor '", name, "': data_offsets [",
              begin, ", ", end, "] are out of range of the ", buffer.size(), "-byte data buffer");
  SYN_CHECK_T(ValueError, end - begin == static_cast<uint64_t>(bytes), source, ": tensor '", name, "': data_offsets [",
              begin, ", ", end, "] span ", end - begin, " bytes, but ", t.dtype, " of this shape needs ", bytes);
  const auto* p = reinterpret_cast<const std::byte*>(buffer.data() + begin);
  t.data.assign(p, p + bytes);
  return t;
}

}  // namespace

int64_t SafetensorsTensor::numel() const {
  int64_t n = 1;
  for (const int64_t d : shape) n *= d;
  return n;
}

const SafetensorsTensor* SafetensorsFile::find(std::string_view name) const {
  for (const SafetensorsTensor& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

int64_t dtype_size(std::string_view dtype) {
  static const std::pair<std::string_view, int64_t> sizes[] = {
      {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8}, {"I32", 4}, {"I16", 2}, {"I8", 1},
      {"U64", 8}, {"U32", 4}, {"U16", 2}, {"U8", 1},   {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}};
  for (const auto& [name, size] : sizes)
    if (name == dtype) return size;
  throw ValueError(detail::concat("unknown dtype '", dtype, "'"));
}

SafetensorsFile parse_safetensors(std::string_view bytes, std::string_view source) {
  SYN_CHECK_T(ValueError, bytes.size() >= 8, source, ": ", bytes.size(),
              " bytes is too short for a safetensors file (8-byte header size)");
  const uint64_t n = read_u64(bytes.data());
  SYN_CHECK_T(ValueError, n <= bytes.size() - 8, source, ": the header size ", n, " runs past the end of the ",
              bytes.size(), "-byte file");
  json header;
  try {
    header = json::parse(bytes.substr(8, n));
  } catch (const json::exception& e) {
    throw ValueError(detail::concat(source, ": the header is not valid JSON: ", e.what()));
  }
  SYN_CHECK_T(ValueError, header.is_object(), source, ": the header is not a JSON object");
  const std::string_view buffer = bytes.substr(8 + n);
  SafetensorsFile file;
  std::vector<std::pair<uint64_t, SafetensorsTensor>> placed;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      SYN_CHECK_T(ValueError, entry.is_object(), source, ": __metadata__ is not an object");
      for (const auto& [key, value] : entry.items()) {
        SYN_CHECK_T(ValueError, value.is_string(), source, ": __metadata__ '", key, "' is not a string");
        file.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    uint64_t begin = 0;
    SafetensorsTensor t = parse_entry(name, entry, buffer, source, begin);
    placed.emplace_back(begin, std::move(t));
  }
  std::stable_sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.data.size() < b.second.data.size();
  });
  uint64_t covered = 0;
  for (auto& [begin, t] : placed) {
    SYN_CHECK_T(ValueError, begin == covered, source, ": tensor '", t.name, "' starts at byte ", begin,
                " of the data buffer, but the tensors before it end at ", covered,
                begin < covered ? " (overlap)" : " (a hole)");
    covered += t.data.size();
    file.tensors.push_back(std::move(t));
  }
  SYN_CHECK_T(ValueError, covered == buffer.size(), source, ": the tensors cover ", covered, " bytes of the ",
              buffer.size(), "-byte data buffer");
  return file;
}

SafetensorsFile read_safetensors(const std::filesystem::path& path) {
  const std::string source = path.string();
  std::error_code ec;
  SYN_CHECK_T(ValueError, std::filesystem::is_regular_file(path, ec), source, ": no such file");
  std::ifstream in(path, std::ios::binary);
  SYN_CHECK_T(ValueError, in.good(), source, ": cannot open it");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_safetensors(bytes.str(), source);
}

std::string serialize_safetensors(const SafetensorsFile& file) {
  json header = json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  uint64_t offset = 0;
  for (const SafetensorsTensor& t : file.tensors) {
    SYN_CHECK_T(ValueError, static_cast<int64_t>(t.data.size()) == t.numel() * dtype_size(t.dtype),
                "serialize_safetensors: tensor '", t.name, "' has ", t.data.size(), " bytes for its shape and dtype ",
                t.dtype);
    SYN_CHECK_T(ValueError, !header.contains(t.name), "serialize_safetensors: tensor '", t.name, "' twice");
    header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.data.size()}}};
    offset += t.data.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
  out += text;
  for (const SafetensorsTensor& t : file.tensors) out.append(reinterpret_cast<const char*>(t.data.data()), t.data.size());
  return out;
}

void write_safetensors(const std::filesystem::path& path, const SafetensorsFile& file) {
  const std::string bytes = serialize_safetensors(file);
  train::write_file_atomically(path, bytes);
}

SafetensorsTensor f32_tensor(std::string name, const std::vector<int64_t>& shape, const float* values) {
  SafetensorsTensor t{std::move(name), "F32", shape, {}};
  const auto* p = reinterpret_cast<const std::byte*>(values);
  t.data.assign(p, p + t.numel() * 4);
  return t;
}

std::vector<float> f32_values(const SafetensorsTensor& tensor) {
  SYN_CHECK_T(ValueError, tensor.dtype == "F32", "tensor '", tensor.name, "' has dtype ", tensor.dtype,
              ", expected F32");
  std::vector<float> v(static_cast<size_t>(tensor.numel()));
  std::memcpy(v.data(), tensor.data.data(), tensor.data.size());
  return v;
}

}  // namespace syn::interop
