// Sparse kernel benchmarks (Note [Sparse products]): each product of a linear layer y = x·Wᵀ with W
// (M, K) pruned to a random mask, against the dense gemm of the same shape in the same run, one
// thread, the active ISA. GFLOP/s counters are dense-equivalent (2·N·K·M per product, whatever the
// sparsity); x_dense is the dense gemm's time over the sparse kernel's (> 1: sparse is faster).
//   BM_spmm/N/K/M/sparsity    yt = W·xt over W's rows (forward; the input gradient runs the same
//                             kernel over W's columns)
//   BM_sddmm/N/K/M/sparsity   dW += dyt·xtᵀ at the live positions (weight gradient)
//   BM_bspmm, BM_bsddmm/N/K/M/sparsity   the block kernels on a mask of random whole 4×4 blocks
//   BM_spmv/K/M/sparsity      y = W·x, batch 1, against the dense product of one row
//   BM_step/N/K/M/sparsity    forward + both gradients from batch-major x and dy as an op runs them:
//                             4 transposes, W's values gathered in column order, 2 spmm, 1 sddmm;
//                             against the 3 dense gemms
//   BM_gemm_fwd|dx|dw/N/K/M   the dense products: x·Wᵀ, dy·W, dyᵀ·x
//   BM_peak_fma               the FMA peak of one core
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "bench_main.hpp"
#include "peak_fma.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/ops/kernels/gemm.hpp"
#include "synapse/ops/kernels/sparse_kernels.hpp"

namespace {

using syn::kernels::Trans;

struct Shape {
  int64_t n, k, m;
};

enum class Product { fwd, dx, dw };

std::vector<float> random_vector(int64_t n, syn::Generator& gen) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = 2.f * gen.uniform() - 1.f;
  return v;
}

// W (M, K) with each entry (or each whole `block`) live with probability 1 - sparsity/100 and its
// index views; the activations of batch N batch-major (x, dy) and batch-contiguous (xt, yt, dyt, dxt).
struct Layer {
  Shape s;
  std::vector<float> w, val, val_csc, val_ell, val_bsr, x, xt, y, yt, dy, dyt, dx, dxt, dw;
  syn::Mask mask;
  const syn::MaskIndex* index;

  Layer(Shape shape, int sparsity, syn::Generator& gen, syn::BlockShape block = {1, 1})
      : s(shape), mask(live_bits(shape, sparsity, gen, block)) {
    index = &mask.index(s.m, s.k);
    w = random_vector(s.m * s.k, gen);
    mask.zero_dead(w.data());
    for (int64_t m = 0; m < s.m; ++m)
      for (int32_t p = index->row_ptr[m]; p < index->row_ptr[m + 1]; ++p) val.push_back(w[m * s.k + index->col[p]]);
    for (int64_t b = 0; b < index->blocks(); ++b)
      for (int64_t r = 0; r < index->block_rows; ++r)
        for (int64_t c = 0; c < index->block_cols; ++c) val_bsr.push_back(w[index->bsr_pos[b] + r * s.k + c]);
    val_csc.resize(static_cast<size_t>(index->nnz));
    for (int32_t pos : index->ell_pos) val_ell.push_back(pos < 0 ? 0.f : val[static_cast<size_t>(pos)]);
    x = random_vector(s.n * s.k, gen), xt = random_vector(s.k * s.n, gen);
    dy = random_vector(s.n * s.m, gen), dyt = random_vector(s.m * s.n, gen);
    y.resize(s.n * s.m), yt.resize(s.m * s.n), dx.resize(s.n * s.k), dxt.resize(s.k * s.n);
    dw.assign(s.m * s.k, 0.f);
  }

  static std::vector<uint8_t> live_bits(Shape s, int sparsity, syn::Generator& gen, syn::BlockShape block) {
    const int64_t grid_cols = s.k / block.cols;
    std::vector<uint8_t> blocks(static_cast<size_t>(s.m / block.rows * grid_cols)), live(s.m * s.k);
    for (uint8_t& b : blocks) b = gen.uniform() * 100.f >= static_cast<float>(sparsity);
    for (int64_t m = 0; m < s.m; ++m)
      for (int64_t k = 0; k < s.k; ++k) live[m * s.k + k] = blocks[m / block.rows * grid_cols + k / block.cols];
    return live;
  }

  void gemm(Product p) {
    switch (p) {
      case Product::fwd:  // y (N, M) = x (N, K)·Wᵀ
        syn::kernels::gemm(Trans::no, Trans::yes, s.n, s.m, s.k, 1.f, x.data(), s.k, w.data(), s.k, 0.f,
                           y.data(), s.m);
        break;
      case Product::dx:  // dx (N, K) = dy (N, M)·W
        syn::kernels::gemm(Trans::no, Trans::no, s.n, s.k, s.m, 1.f, dy.data(), s.m, w.data(), s.k, 0.f,
                           dx.data(), s.k);
        break;
      case Product::dw:  // dW (M, K) += dyᵀ·x
        syn::kernels::gemm(Trans::yes, Trans::no, s.m, s.k, s.n, 1.f, dy.data(), s.m, x.data(), s.k, 1.f,
                           dw.data(), s.k);
        break;
    }
  }

  // Forward and both gradients through the sparse kernels, from and to batch-major tensors.
  void sparse_step(const syn::kernels::SparseKernels& kt) {
    const syn::MaskIndex& ix = *index;
    kt.transpose(s.n, s.k, x.data(), s.k, xt.data(), s.n);
    kt.spmm(0, s.m, s.n, ix.row_ptr.data(), ix.col.data(), val.data(), xt.data(), s.n, yt.data(), s.n, false);
    kt.transpose(s.m, s.n, yt.data(), s.n, y.data(), s.m);
    kt.transpose(s.n, s.m, dy.data(), s.m, dyt.data(), s.n);
    for (int64_t p = 0; p < ix.nnz; ++p) val_csc[p] = w[ix.csc_pos[p]];
    kt.spmm(0, s.k, s.n, ix.col_ptr.data(), ix.row.data(), val_csc.data(), dyt.data(), s.n, dxt.data(), s.n,
            false);
    kt.transpose(s.k, s.n, dxt.data(), s.n, dx.data(), s.k);
    kt.sddmm(0, s.m, s.n, ix.row_ptr.data(), ix.col.data(), dyt.data(), s.n, xt.data(), s.n, dw.data(), s.k);
  }
};

// This thread's CPU seconds, the clock Google Benchmark's CPU time reads.
double thread_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// CPU seconds of one call of f: the median of 5 after a warm-up.
template <class F>
double seconds_of(F f) {
  f();
  std::vector<double> t;
  for (int i = 0; i < 5; ++i) {
    const double start = thread_seconds();
    f();
    t.push_back(thread_seconds() - start);
  }
  std::nth_element(t.begin(), t.begin() + 2, t.end());
  return t[2];
}

// The summed time of dense products of one shape, each measured once per run.
double dense_seconds(Shape s, std::vector<Product> products) {
  static std::map<std::tuple<int64_t, int64_t, int64_t, int>, double> cache;
  double total = 0;
  for (Product p : products) {
    const auto key = std::tuple{s.n, s.k, s.m, static_cast<int>(p)};
    if (!cache.count(key)) {
      syn::Generator gen(7);
      Layer dense(s, 0, gen);
      cache[key] = seconds_of([&] { dense.gemm(p); });
    }
    total += cache[key];
  }
  return total;
}

void set_counters(benchmark::State& state, Shape s, int products, double dense_s) {
  state.counters["GFLOP/s"] = benchmark::Counter(2e-9 * products * static_cast<double>(s.n * s.k * s.m),
                                                 benchmark::Counter::kIsIterationInvariantRate);
  // dense seconds × iterations / the sparse run's seconds.
  state.counters["x_dense"] = benchmark::Counter(dense_s, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(syn::isa_name(syn::kernels::sparse_kernels().isa));
}

void bm_spmm(benchmark::State& state, Shape s, int sparsity) {
  syn::Generator gen(1);
  Layer l(s, sparsity, gen);
  const auto& kt = syn::kernels::sparse_kernels();
  for (auto _ : state) {
    kt.spmm(0, s.m, s.n, l.index->row_ptr.data(), l.index->col.data(), l.val.data(), l.xt.data(), s.n,
            l.yt.data(), s.n, false);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, 1, dense_seconds(s, {Product::fwd}));
}

void bm_sddmm(benchmark::State& state, Shape s, int sparsity) {
  syn::Generator gen(2);
  Layer l(s, sparsity, gen);
  const auto& kt = syn::kernels::sparse_kernels();
  for (auto _ : state) {
    kt.sddmm(0, s.m, s.n, l.index->row_ptr.data(), l.index->col.data(), l.dyt.data(), s.n, l.xt.data(), s.n,
             l.dw.data(), s.k);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, 1, dense_seconds(s, {Product::dw}));
}

void bm_bspmm(benchmark::State& state, Shape s, int sparsity) {
  syn::Generator gen(1);
  Layer l(s, sparsity, gen, {4, 4});
  const auto& kt = syn::kernels::sparse_kernels();
  for (auto _ : state) {
    kt.bspmm(0, s.m / 4, 4, 4, s.n, l.index->bsr_ptr.data(), l.index->bsr_col.data(), l.val_bsr.data(), l.xt.data(),
             s.n, l.yt.data(), s.n, false);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, 1, dense_seconds(s, {Product::fwd}));
}

void bm_bsddmm(benchmark::State& state, Shape s, int sparsity) {
  syn::Generator gen(2);
  Layer l(s, sparsity, gen, {4, 4});
  const auto& kt = syn::kernels::sparse_kernels();
  for (auto _ : state) {
    kt.bsddmm(0, s.m / 4, 4, 4, s.n, l.index->bsr_ptr.data(), l.index->bsr_col.data(), l.dyt.data(), s.n,
              l.xt.data(), s.n, l.dw.data(), s.k);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, 1, dense_seconds(s, {Product::dw}));
}

void bm_spmv(benchmark::State& state, Shape s, int sparsity) {
  syn::Generator gen(3);
  Layer l(s, sparsity, gen);
  const auto& kt = syn::kernels::sparse_kernels();
  for (auto _ : state) {
    kt.spmv(0, l.index->ell_slices(), s.m, s.k, l.index->ell_ptr.data(), l.index->ell_col.data(), l.val_ell.data(),
            l.x.data(), l.y.data(), false);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, 1, dense_seconds(s, {Product::fwd}));
}

void bm_step(benchmark::State& state, Shape s, int sparsity) {
  syn::Generator gen(4);
  Layer l(s, sparsity, gen);
  const auto& kt = syn::kernels::sparse_kernels();
  for (auto _ : state) {
    l.sparse_step(kt);
    benchmark::ClobberMemory();
  }
  set_counters(state, s, 3, dense_seconds(s, {Product::fwd, Product::dx, Product::dw}));
}

void bm_gemm(benchmark::State& state, Shape s, Product p) {
  syn::Generator gen(5);
  Layer l(s, 0, gen);
  for (auto _ : state) {
    l.gemm(p);
    benchmark::ClobberMemory();
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2e-9 * static_cast<double>(s.n * s.k * s.m),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

std::string suffix(std::initializer_list<int64_t> values) {
  std::string out;
  for (int64_t v : values) out.append("/").append(std::to_string(v));
  return out;
}

// Every case runs for at least kMinTime seconds (the whole binary takes about a minute).
constexpr double kMinTime = 0.05;

void register_all() {
  syn::set_num_threads(1);
  syn::bench::register_peak_fma();
  const std::vector<int> sparsities = {0, 50, 80, 90, 95, 99};
  for (int64_t km : {64, 256, 1024}) {
    for (int sp : sparsities) {
      const Shape s{1, km, km};
      benchmark::RegisterBenchmark(("BM_spmv" + suffix({km, km, sp})).c_str(), bm_spmv, s, sp)->MinTime(kMinTime);
    }
    // The recurrent step's shape: 4 gates of 64 units on a 64-wide state.
    if (km == 64)
      for (int sp : sparsities)
        benchmark::RegisterBenchmark(("BM_spmv" + suffix({64, 256, sp})).c_str(), bm_spmv, Shape{1, 64, 256}, sp)
            ->MinTime(kMinTime);
    for (int64_t n : {1, 64, 6144}) {
      const Shape s{n, km, km};
      for (auto [name, p] : {std::pair{"fwd", Product::fwd}, std::pair{"dx", Product::dx},
                             std::pair{"dw", Product::dw}})
        benchmark::RegisterBenchmark(("BM_gemm_" + std::string(name) + suffix({n, km, km})).c_str(), bm_gemm, s,
                                     p)
            ->MinTime(kMinTime);
      for (int sp : sparsities) {
        const std::string args = suffix({n, km, km, sp});
        benchmark::RegisterBenchmark(("BM_spmm" + args).c_str(), bm_spmm, s, sp)->MinTime(kMinTime);
        benchmark::RegisterBenchmark(("BM_sddmm" + args).c_str(), bm_sddmm, s, sp)->MinTime(kMinTime);
        benchmark::RegisterBenchmark(("BM_step" + args).c_str(), bm_step, s, sp)->MinTime(kMinTime);
        if (n > 1 && sp >= 80) {
          benchmark::RegisterBenchmark(("BM_bspmm" + args).c_str(), bm_bspmm, s, sp)->MinTime(kMinTime);
          benchmark::RegisterBenchmark(("BM_bsddmm" + args).c_str(), bm_bsddmm, s, sp)->MinTime(kMinTime);
        }
      }
    }
  }
}

}  // namespace

SYN_BENCH_MAIN(register_all)
