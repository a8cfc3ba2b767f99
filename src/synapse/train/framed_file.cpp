#include "synapse/train/framed_file.hpp"

#include <cstring>
#include <fstream>
#include <iterator>

#include "synapse/core/error.hpp"
#include "synapse/train/byte_reader.hpp"
#include "synapse/train/byte_writer.hpp"
#include "synapse/train/crc32.hpp"

namespace syn::train {
namespace {
constexpr size_t kMagicBytes = 8;
constexpr size_t kHeaderBytes = kMagicBytes + sizeof(uint32_t) + sizeof(uint64_t);
constexpr size_t kTrailerBytes = sizeof(uint32_t);
}  // namespace

std::vector<char> frame(const FrameKind& kind, std::span<const char> payload) {
  ByteWriter file;
  file.raw(kind.magic, kMagicBytes);
  file.put(kind.version);
  file.put(static_cast<uint64_t>(payload.size()));
  file.raw(payload.data(), payload.size());
  file.put(crc32(payload));
  return std::move(file.bytes());
}

Unframed unframe(const FrameKind& kind, std::span<const char> file, const std::string& what) {
  ByteReader header(file, what);
  const std::vector<char> magic = header.array<char>(kMagicBytes, "magic");
  if (std::memcmp(magic.data(), kind.magic, kMagicBytes) != 0)
    header.fail("magic", detail::concat("this is not ", kind.noun, " (it does not start with \"",
                                        std::string(kind.magic, kMagicBytes - 1), "\")"));
  const uint32_t version = header.get<uint32_t>("version");
  if (version == 0) header.fail("version", "format version 0 does not exist");
  if (version > kind.version)
    header.fail("version", detail::concat("format version ", version, " is newer than this synapse reads (",
                                          kind.version, "); use a newer synapse"));
  const uint64_t size = header.get<uint64_t>("payload size");
  if (size > header.remaining() || header.remaining() - size < kTrailerBytes)
    header.fail("payload", detail::concat("the file is truncated: the header announces ", size,
                                          " payload bytes and a 4-byte checksum, ", header.remaining(),
                                          " bytes follow the header"));
  if (header.remaining() - size > kTrailerBytes)
    header.fail("checksum", detail::concat(header.remaining() - size - kTrailerBytes,
                                           " unexpected bytes after the checksum"));
  const std::span<const char> payload = file.subspan(kHeaderBytes, size);
  ByteReader trailer(file.subspan(kHeaderBytes + size), what);
  const uint32_t stored = trailer.get<uint32_t>("checksum");
  const uint32_t computed = crc32(payload);
  if (stored != computed)
    header.fail("checksum", detail::concat("stored CRC-32 ", stored, " but the payload gives ", computed,
                                           " (the file is damaged)"));
  return {version, payload};
}

std::vector<char> read_file_bytes(const std::filesystem::path& path, const std::string& what) {
  std::error_code ec;
  SYN_CHECK_T(ValueError, std::filesystem::is_regular_file(path, ec), what, ": ",
              std::filesystem::is_directory(path, ec) ? "is a directory, not a file"
              : std::filesystem::exists(path, ec)     ? "is not a regular file"
                                                      : "no such file");
  std::ifstream in(path, std::ios::binary);
  SYN_CHECK_T(ValueError, in.good(), what, ": cannot open it");
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  SYN_CHECK_T(ValueError, !in.bad(), what, ": cannot read it");
  return bytes;
}

}  // namespace syn::train
