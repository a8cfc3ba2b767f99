#include "synapse/core/mask.hpp"

#include <bit>

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

const std::vector<int64_t>& Mask::live_indices() const {
  std::call_once(live_indices_built_, [this] {
    live_indices_.reserve(static_cast<size_t>(nnz_));
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t word = bits_[w]; word != 0; word &= word - 1)
        live_indices_.push_back(static_cast<int64_t>(w * 64) + std::countr_zero(word));
    }
  });
  return live_indices_;
}

}  // namespace syn
