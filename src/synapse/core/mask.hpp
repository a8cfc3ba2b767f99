#pragma once
// Mask: which entries of a weight tensor are alive. Tensors carry one as an optional attribute.
//
// Note [Mask invariants]
// 1. A Mask is immutable and shared; a pruning decision builds a new one.
// 2. If a tensor has a mask, every dead entry is exactly 0.0f (Tensor::set_mask enforces it with
//    Mask::zero_dead, the one place that zeroes dead entries).
// 3. Kernels never write dead positions of a weight gradient; dead gradient entries stay 0 (the
//    sparse plan computes live positions only; the dense plan re-zeroes the dead ones it wrote).
// 4. Optimizers update live entries only and keep their moment buffers at 0 for dead entries;
//    dead weights stay exactly 0 after every step (momentum and weight decay cannot revive them).
// 5. A tape node uses the mask snapshot taken at forward time. Changing a saved tensor's mask
//    between its forward and backward pass is an error: backward throws AutogradError naming the
//    op and the tensor's shape (SavedTensor::get). Prune between steps, never inside one.
// 6. Masks are monotone during a pruning run (no regrowth) unless a regrowth method asks for dense
//    gradients explicitly.
// 7. Masks are saved and loaded with their tensors.
// 8. Views: a view with the same elements in the same order (Tensor::view, ops reshape, detach,
//    clone) keeps the mask; narrow/slice gives the view the matching slice of the mask
//    (Mask::slice, built once per slice and cached); ops that mix elements (transpose, concat,
//    arithmetic) produce unmasked tensors.
// The pruning layer decides masks; every other layer honours them without depending on pruning/.
// Masks carry no granularity tag: structure (live rows, blocks) is read from the bits themselves
// when an index view is built, so nothing can fall out of sync with what the pruner decided.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "synapse/core/mask_index.hpp"

namespace syn {

class Mask {
 public:
  // live[i] != 0 means entry i is kept.
  explicit Mask(const std::vector<uint8_t>& live);

  int64_t numel() const { return numel_; }
  int64_t nnz() const { return nnz_; }
  double density() const { return numel_ ? static_cast<double>(nnz_) / numel_ : 1.0; }
  double sparsity() const { return 1.0 - density(); }
  bool live(int64_t i) const { return (bits_[static_cast<size_t>(i >> 6)] >> (i & 63)) & 1u; }
  // The live entries' indices in increasing order (nnz of them), built on first use (thread-safe)
  // and kept, so that elementwise passes over a masked tensor (optimizer steps) cost nnz, not numel.
  const std::vector<int64_t>& live_indices() const;
  // The index views of the mask read as a (rows, cols) row-major matrix (Note [Mask index views]),
  // built on first use for that shape (thread-safe) and kept for the mask's lifetime.
  const MaskIndex& index(int64_t rows, int64_t cols) const;

  // p[i] = 0 for every dead entry i of a tensor of numel() floats (Note [Mask invariants] 2).
  void zero_dead(float* p) const;

  // The mask of a view that keeps [begin, begin + width) of each of `outer` consecutive rows of
  // `row` entries (ops narrow): built once per distinct slice and cached.
  std::shared_ptr<const Mask> slice(int64_t outer, int64_t row, int64_t begin, int64_t width) const;

 private:
  int64_t numel_ = 0;
  int64_t nnz_ = 0;
  std::vector<uint64_t> bits_;  // packed, bit i of word i/64
  mutable std::once_flag live_indices_built_;
  mutable std::vector<int64_t> live_indices_;
  struct SliceKey {
    int64_t outer, row, begin, width;
    bool operator==(const SliceKey&) const = default;
  };
  mutable std::mutex cache_mutex_;  // guards the two caches below
  mutable std::vector<std::unique_ptr<MaskIndex>> indexes_;
  mutable std::vector<std::pair<SliceKey, std::shared_ptr<const Mask>>> slices_;
};

}  // namespace syn
