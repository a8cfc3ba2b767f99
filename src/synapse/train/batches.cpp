#include "synapse/train/batches.hpp"

#include <cstring>
#include <numeric>
#include <utility>

namespace syn::train {

std::vector<int64_t> epoch_order(int64_t n, bool shuffle, Generator& gen) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  if (shuffle)
    for (int64_t i = n - 1; i > 0; --i)
      std::swap(order[static_cast<size_t>(i)], order[gen.below(static_cast<uint64_t>(i) + 1)]);
  return order;
}

namespace {
// Copies row indices[b] of src (N, rest...) into row b of a new (B, rest...) tensor.
Tensor gather_rows(const Tensor& src, std::span<const int64_t> indices) {
  std::vector<int64_t> dims = src.shape().dims();
  dims[0] = static_cast<int64_t>(indices.size());
  Tensor out = Tensor::empty(Shape(dims));
  const int64_t row = src.size(0) ? src.numel() / src.size(0) : 0;
  const float* s = src.data();
  float* d = out.mutable_data();
  for (size_t b = 0; b < indices.size(); ++b)
    std::memcpy(d + static_cast<int64_t>(b) * row, s + indices[b] * row,
                static_cast<size_t>(row) * sizeof(float));
  return out;
}
}  // namespace

// inputs: (N, L, F)  targets: (N, H) -> (B, L, F), (B, H)
Batch gather_batch(const forecast::Windows& windows, std::span<const int64_t> indices) {
  return {gather_rows(windows.inputs, indices), gather_rows(windows.targets, indices)};
}

}  // namespace syn::train
