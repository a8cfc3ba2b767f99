#pragma once
// Layout helpers of the fused recurrent layers (ops/recurrent.cpp): batch-first <-> time-major
// copies, packed recurrent weights.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "synapse/core/parallel.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/ops/kernels/recurrent_kernels.hpp"
#include "synapse/ops/scratch.hpp"

namespace syn::detail {

// src: (a, b, f) -> dst: (b, a, f)   (batch-first <-> time-major)
inline void swap_leading_axes(const float* src, int64_t a, int64_t b, int64_t f, float* dst) {
  parallel_for(b, std::max<int64_t>(1, kChunkWork / std::max<int64_t>(a * f, 1)),
               [&](int64_t j0, int64_t j1) {
                 for (int64_t j = j0; j < j1; ++j)
                   for (int64_t i = 0; i < a; ++i)
                     std::memcpy(dst + (j * a + i) * f, src + (i * b + j) * f, sizeof(float) * f);
               });
}

// dst: (b, a, f) += src: (a, b, f) with the leading axes swapped
inline void add_swapped_leading_axes(const float* src, int64_t a, int64_t b, int64_t f, float* dst) {
  parallel_for(b, std::max<int64_t>(1, kChunkWork / std::max<int64_t>(a * f, 1)),
               [&](int64_t j0, int64_t j1) {
                 for (int64_t j = j0; j < j1; ++j)
                   for (int64_t i = 0; i < a; ++i) {
                     float* d = dst + (j * a + i) * f;
                     const float* s = src + (i * b + j) * f;
                     for (int64_t e = 0; e < f; ++e) d[e] += s[e];
                   }
               });
}

// rows copies of `row` (width floats)
inline void fill_rows(float* dst, int64_t rows, const float* row, int64_t width) {
  parallel_for(rows, std::max<int64_t>(1, kChunkWork / std::max<int64_t>(width, 1)),
               [&](int64_t r0, int64_t r1) {
                 for (int64_t r = r0; r < r1; ++r) std::memcpy(dst + r * width, row, sizeof(float) * width);
               });
}

// Batches below this many rows read the packed weights as one sequential stream (one panel as wide
// as B); larger ones use panels one micro-kernel strip wide (Note [Packed recurrent weights]).
constexpr int64_t kStreamingBatch = 4;

// B (k, n) packed for a time loop over `batch` rows: w is B, or Bᵀ (n, k) when transposed. An
// undefined w packs nothing (the sparse plan does not read packed weights).
struct PackedWeights {
  int64_t panel;
  Scratch data;
  PackedWeights(const Tensor& w, int64_t k, int64_t n, bool transposed, int64_t batch,
                const kernels::RecurrentKernels& kern)
      : panel(batch < kStreamingBatch ? (n + kern.block - 1) / kern.block * kern.block : kern.block),
        data(w.defined() ? kernels::packed_size(k, n, panel) : 0) {
    if (w.defined()) kernels::pack_panels(k, n, w.data(), transposed ? k : n, transposed, panel, data.data());
  }
};

}  // namespace syn::detail
