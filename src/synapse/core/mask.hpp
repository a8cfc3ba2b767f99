#pragma once
// Mask: which entries of a weight tensor are alive. Tensors carry one as an optional attribute.
//
// Note [Mask invariants]
// 1. A Mask is immutable and shared; a pruning decision builds a new one.
// 2. If a tensor has a mask, every dead entry is exactly 0.0f (Tensor::set_mask enforces it).
// 3. Kernels never write dead positions of a weight gradient; dead gradient entries stay 0.
// 4. Optimizers update live entries only and keep their moment buffers at 0 for dead entries;
//    dead weights stay exactly 0 after every step (momentum and weight decay cannot revive them).
// 5. A tape node uses the mask snapshot taken at forward time.
// 6. Masks are monotone during a pruning run (no regrowth) unless a regrowth method asks for dense
//    gradients explicitly.
// 7. Masks are saved and loaded with their tensors.
// The pruning layer decides masks; every other layer honours them without depending on pruning/.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace syn {

class Mask {
 public:
  // live[i] != 0 means entry i is kept.
  explicit Mask(const std::vector<uint8_t>& live);

  int64_t numel() const { return numel_; }
  int64_t nnz() const { return nnz_; }
  double density() const { return numel_ ? static_cast<double>(nnz_) / numel_ : 1.0; }
  bool live(int64_t i) const { return (bits_[static_cast<size_t>(i >> 6)] >> (i & 63)) & 1u; }
  // The live entries' indices in increasing order (nnz of them), built on first use (thread-safe)
  // and kept, so that elementwise passes over a masked tensor (optimizer steps) cost nnz, not numel.
  const std::vector<int64_t>& live_indices() const;

 private:
  int64_t numel_ = 0;
  int64_t nnz_ = 0;
  std::vector<uint64_t> bits_;  // packed, bit i of word i/64
  mutable std::once_flag live_indices_built_;
  mutable std::vector<int64_t> live_indices_;
};

}  // namespace syn
