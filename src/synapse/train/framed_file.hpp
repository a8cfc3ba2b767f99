#pragma once
// Framed files: the container of every binary file synapse writes (checkpoints, training states).
//
// Note [Framed files]
// All integers little-endian.
//   header   magic (8 bytes), u32 format version, u64 payload size
//   payload  the file kind's fields
//   trailer  u32 CRC-32 of the payload (crc32.hpp)
// Reading checks, in order: magic, version (0 and versions newer than the reader's are refused), size
// (payload and trailer present, nothing after them) and checksum; every failure is a ValueError naming
// the file and the field (magic, version, payload, checksum). Files are written atomically (Note
// [Atomic replace]).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace syn::train {

struct FrameKind {
  char magic[8];         // e.g. "SYNCKPT\n"
  uint32_t version;      // the newest version this build writes and reads
  const char* noun;      // "a synapse checkpoint", for the wrong-magic message
};

// header + payload + trailer.
std::vector<char> frame(const FrameKind& kind, std::span<const char> payload);

struct Unframed {
  uint32_t version;                // 1 .. kind.version: the payload's layout may depend on it
  std::span<const char> payload;
};

// The version and payload of `file`, checked (Note [Framed files]); `what` prefixes messages
// ("checkpoint 'm.syn'").
Unframed unframe(const FrameKind& kind, std::span<const char> file, const std::string& what);

// The bytes of the file at `path`. ValueError naming `what` when it does not exist, is a directory or
// another non-regular file, or cannot be read.
std::vector<char> read_file_bytes(const std::filesystem::path& path, const std::string& what);

}  // namespace syn::train
