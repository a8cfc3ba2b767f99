#include "synapse/core/mask.hpp"

namespace syn {

Mask::Mask(const std::vector<uint8_t>& live)
    : numel_(static_cast<int64_t>(live.size())), bits_((live.size() + 63) / 64, 0) {
  for (size_t i = 0; i < live.size(); ++i) {
    if (live[i]) {
      bits_[i >> 6] |= uint64_t{1} << (i & 63);
      ++nnz_;
    }
  }
}

}  // namespace syn
