// libFuzzer target: the checkpoint and training-state loaders (parse_checkpoint, parse_train_state).
// First byte odd: the rest is a whole file, header and checksum included. Even: the rest is a payload,
// framed here with a correct CRC-32 under both magics (checkpoints under every version still read), so
// mutations reach the field parsers instead of stopping at the checksum. A ValueError is an accepted
// outcome; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/crc32.hpp"
#include "synapse/train/train_state.hpp"

namespace {

// Note [Framed files]: magic, u32 version, u64 payload size, payload, u32 CRC-32.
std::vector<char> framed(const char (&magic)[9], uint32_t version, std::span<const char> payload) {
  std::vector<char> out(magic, magic + 8);
  const uint64_t size = payload.size();
  const uint32_t crc = syn::train::crc32(payload);
  out.insert(out.end(), reinterpret_cast<const char*>(&version), reinterpret_cast<const char*>(&version) + 4);
  out.insert(out.end(), reinterpret_cast<const char*>(&size), reinterpret_cast<const char*>(&size) + 8);
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), reinterpret_cast<const char*>(&crc), reinterpret_cast<const char*>(&crc) + 4);
  return out;
}

template <class F>
void accept_value_errors(F&& f) {
  try {
    f();
  } catch (const syn::ValueError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace syn::train;
  if (size == 0) return 0;
  const std::span<const char> rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) {
    accept_value_errors([&] { parse_checkpoint(rest, "fuzz"); });
    accept_value_errors([&] { parse_train_state(rest, "fuzz"); });
    return 0;
  }
  for (uint32_t version = 1; version <= kCheckpointVersion; ++version) {  // every layout still read
    const std::vector<char> checkpoint = framed("SYNCKPT\n", version, rest);
    accept_value_errors([&] { parse_checkpoint(checkpoint, "fuzz"); });
  }
  const std::vector<char> state = framed("SYNTRST\n", kTrainStateVersion, rest);
  accept_value_errors([&] { parse_train_state(state, "fuzz"); });
  return 0;
}
