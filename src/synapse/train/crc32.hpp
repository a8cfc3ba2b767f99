#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's crc32 and PNG): the checkpoint
// checksum. crc32("123456789") == 0xCBF43926.
#include <cstdint>
#include <span>

namespace syn::train {

uint32_t crc32(std::span<const char> bytes);

}  // namespace syn::train
