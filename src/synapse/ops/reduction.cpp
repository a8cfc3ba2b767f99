#include "synapse/ops/reduction.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "synapse/ops/broadcast_layout.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"
#include "synapse/ops/unary_helpers.hpp"

namespace syn::detail {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t blocks_of(int64_t n) { return std::max<int64_t>(1, ceil_div(n, kReduceBlock)); }
// Tasks per parallel chunk when one task costs `cost` element operations.
int64_t task_grain(int64_t cost) {
  return std::max<int64_t>(1, kElementwiseGrain / std::max<int64_t>(1, cost));
}

// IEEE max that keeps the first of equal values and lets a NaN win.
float nan_max(float acc, float v) { return acc != acc || !(v != v || v > acc) ? acc : v; }
bool same_value(float a, float b) { return a == b || (a != a && b != b); }

// inner == 1 (Note [Reduction order]): y[o] = combine(...combine(init, block(o, 0, len_0))...).
// block(o, begin, len) reduces x[o, begin : begin + len]. Returns the block results, (outer, blocks).
template <class Block, class Combine>
std::vector<float> reduce_contiguous(ReduceDims d, float init, float* y, Block&& block, Combine&& combine) {
  const int64_t blocks = blocks_of(d.n);
  std::vector<float> partial(static_cast<size_t>(d.outer * blocks));
  parallel_for(d.outer * blocks, task_grain(std::min(d.n, kReduceBlock)), [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t begin = (t % blocks) * kReduceBlock;
      partial[t] = block(t / blocks, begin, std::min(kReduceBlock, d.n - begin));
    }
  });
  parallel_for(d.outer, task_grain(blocks), [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      float acc = init;
      for (int64_t b = 0; b < blocks; ++b) acc = combine(acc, partial[o * blocks + b]);
      y[o] = acc;
    }
  });
  return partial;
}

// inner > 1 (Note [Reduction order]): each (output row, block, column chunk) task accumulates its
// rows into a zeroed partial row with accumulate(partial, o, r, j0, w); the partial rows of each
// output row are then added in block order. A single block is accumulated straight into y
// (0 + partial == partial).
template <class Accumulate>
void reduce_columns(ReduceDims d, float* y, Accumulate&& accumulate) {
  const auto& k = kernels::elementwise_kernels();
  const int64_t blocks = blocks_of(d.n), chunks = ceil_div(d.inner, kScratch);
  std::vector<float> partial(blocks > 1 ? static_cast<size_t>(d.outer * blocks * d.inner) : 0, 0.f);
  float* rows = partial.data();  // (outer, blocks, inner)
  if (blocks == 1) {
    rows = y;
    std::fill(y, y + d.outer * d.inner, 0.f);
  }
  const int64_t cost = std::min(d.n, kReduceBlock) * std::min(d.inner, kScratch);
  parallel_for(d.outer * blocks * chunks, task_grain(cost), [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t ob = t / chunks, o = ob / blocks, b = ob % blocks;
      const int64_t j0 = (t % chunks) * kScratch, w = std::min(kScratch, d.inner - j0);
      for (int64_t r = b * kReduceBlock; r < std::min(d.n, (b + 1) * kReduceBlock); ++r)
        accumulate(rows + ob * d.inner + j0, o, r, j0, w);
    }
  });
  if (blocks == 1) return;
  parallel_for(d.outer * chunks, task_grain(blocks * kScratch), [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t o = t / chunks, j0 = (t % chunks) * kScratch, w = std::min(kScratch, d.inner - j0);
      float* out = y + o * d.inner + j0;
      std::fill(out, out + w, 0.f);
      for (int64_t b = 0; b < blocks; ++b) k.add(out, rows + (o * blocks + b) * d.inner + j0, out, w);
    }
  });
}

}  // namespace

ReduceDims reduce_dims(const Shape& shape, int64_t first, int64_t last) {
  ReduceDims d;
  for (int64_t i = 0; i < shape.rank(); ++i) (i < first ? d.outer : i <= last ? d.n : d.inner) *= shape[i];
  return d;
}

// x: (outer, n, inner) -> y: (outer, inner)
void sum_middle(const float* x, ReduceDims d, float* y) {
  const auto& k = kernels::elementwise_kernels();
  if (d.inner == 1) {
    reduce_contiguous(
        d, 0.f, y, [&](int64_t o, int64_t begin, int64_t len) { return k.sum(x + o * d.n + begin, len); },
        [](float acc, float p) { return acc + p; });
    return;
  }
  reduce_columns(d, y, [&](float* acc, int64_t o, int64_t r, int64_t j0, int64_t w) {
    k.add(acc, x + (o * d.n + r) * d.inner + j0, acc, w);
  });
}

// x: (outer, n, inner)  mean: (outer, inner) -> y: (outer, inner)
void sum_sq_diff_middle(const float* x, const float* mean, ReduceDims d, float* y) {
  const auto& k = kernels::elementwise_kernels();
  if (d.inner == 1) {
    reduce_contiguous(
        d, 0.f, y,
        [&](int64_t o, int64_t begin, int64_t len) {
          return k.sum_sq_diff(x + o * d.n + begin, mean[o], len);
        },
        [](float acc, float p) { return acc + p; });
    return;
  }
  reduce_columns(d, y, [&](float* acc, int64_t o, int64_t r, int64_t j0, int64_t w) {
    std::array<float, kScratch> diff;
    k.sub(x + (o * d.n + r) * d.inner + j0, mean + o * d.inner + j0, diff.data(), w);
    k.mul_add(diff.data(), diff.data(), acc, w);
  });
}

// x: (outer, n, inner) -> y, index: (outer, inner)
void max_middle(const float* x, ReduceDims d, float* y, int64_t* index) {
  if (d.inner == 1) {
    const auto& k = kernels::elementwise_kernels();
    const std::vector<float> block_max = reduce_contiguous(
        d, -INFINITY, y,
        [&](int64_t o, int64_t begin, int64_t len) { return k.max(x + o * d.n + begin, len); }, nan_max);
    // The first block whose maximum is the result holds its first occurrence.
    const int64_t blocks = blocks_of(d.n);
    parallel_for(d.outer, task_grain(kReduceBlock), [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; ++o) {
        int64_t b = 0;
        while (!same_value(block_max[o * blocks + b], y[o])) ++b;
        int64_t i = b * kReduceBlock;
        while (!same_value(x[o * d.n + i], y[o])) ++i;
        index[o] = i;
      }
    });
    return;
  }
  const int64_t chunks = ceil_div(d.inner, kScratch);
  parallel_for(d.outer * chunks, task_grain(d.n * std::min(d.inner, kScratch)), [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t o = t / chunks, j0 = (t % chunks) * kScratch, w = std::min(kScratch, d.inner - j0);
      float* best = y + o * d.inner + j0;
      int64_t* at = index + o * d.inner + j0;
      const float* first = x + o * d.n * d.inner + j0;
      std::copy(first, first + w, best);
      std::fill(at, at + w, int64_t{0});
      for (int64_t r = 1; r < d.n; ++r) {
        const float* row = first + r * d.inner;
        for (int64_t j = 0; j < w; ++j) {
          const bool better = row[j] > best[j] || (row[j] != row[j] && best[j] == best[j]);
          if (!better) continue;
          best[j] = row[j];
          at[j] = r;
        }
      }
    }
  });
}

// x: any shape -> y: x's shape with `axes` set to 1
Tensor sum_keepdim(const Tensor& x, const std::vector<int64_t>& axes) {
  Tensor t = x;
  std::vector<int64_t> dims = x.shape().dims();
  // Runs of consecutive axes are summed in one pass each, innermost first.
  for (size_t end = axes.size(); end > 0;) {
    size_t begin = end - 1;
    while (begin > 0 && axes[begin - 1] + 1 == axes[begin]) --begin;
    const int64_t first = axes[begin], last = axes[end - 1];
    end = begin;
    const ReduceDims d = reduce_dims(Shape(dims), first, last);
    if (d.n == 1) continue;
    std::fill(dims.begin() + first, dims.begin() + last + 1, int64_t{1});
    Tensor y = Tensor::empty(Shape(dims));
    sum_middle(t.data(), d, y.mutable_data());
    t = y;
  }
  return t;
}

}  // namespace syn::detail
