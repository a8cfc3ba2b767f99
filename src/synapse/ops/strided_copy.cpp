#include "synapse/ops/strided_copy.hpp"

#include "synapse/core/parallel.hpp"

namespace syn::detail {
namespace {

// Rows of the contiguous side per parallel chunk aim at this many elements.
constexpr int64_t kCopyGrain = 16384;

// Calls f(contiguous_offset, strided_offset, row_length, last_stride) for every row (all indices
// but the last) of `shape`, rows split across threads.
template <class F>
void for_each_row(const Shape& shape, const std::vector<int64_t>& strides, F f) {
  const int64_t rank = shape.rank();
  if (shape.numel() == 0) return;
  if (rank == 0) return f(int64_t{0}, int64_t{0}, int64_t{1}, int64_t{1});
  const int64_t len = shape[rank - 1], last_stride = strides[rank - 1];
  const int64_t rows = shape.numel() / len;
  parallel_for(rows, std::max<int64_t>(1, kCopyGrain / len), [&](int64_t r0, int64_t r1) {
    // Multi-index of row r0 over the leading rank-1 dims, then incremented row by row.
    std::vector<int64_t> idx(static_cast<size_t>(rank - 1));
    int64_t offset = 0;
    for (int64_t d = rank - 2, rest = r0; d >= 0; --d) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
      offset += idx[d] * strides[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
      f(r * len, offset, len, last_stride);
      for (int64_t d = rank - 2; d >= 0; --d) {
        offset += strides[d];
        if (++idx[d] < shape[d]) break;
        offset -= idx[d] * strides[d];
        idx[d] = 0;
      }
    }
  });
}

}  // namespace

void strided_gather(const float* src, const std::vector<int64_t>& src_strides, const Shape& shape,
                    float* out) {
  for_each_row(shape, src_strides, [&](int64_t o, int64_t s, int64_t len, int64_t stride) {
    for (int64_t j = 0; j < len; ++j) out[o + j] = src[s + j * stride];
  });
}

void strided_scatter_add(const float* g, const Shape& shape, const std::vector<int64_t>& dst_strides,
                         float* dst) {
  for_each_row(shape, dst_strides, [&](int64_t o, int64_t s, int64_t len, int64_t stride) {
    for (int64_t j = 0; j < len; ++j) dst[s + j * stride] += g[o + j];
  });
}

}  // namespace syn::detail
