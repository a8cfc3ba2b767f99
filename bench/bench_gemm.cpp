// GEMM benchmarks: synapse's gemm against OpenBLAS cblas_sgemm (one thread) in the same run, and the
// FMA peak of one core, each as a GFLOP/s counter (bench/README.md, "GEMM and attention").
//   BM_gemm/M/N/K            C = A·B with the active ISA, 1 thread (BM_gemm_2threads: 2 threads)
//   BM_gemm_<isa>/M/N/K      the same with one instruction set forced
//   BM_gemm_nt|tn/M/N/K      C = A·Bᵀ and C = Aᵀ·B, the products linear/matmul backward runs
//   BM_gemm_openblas*/M/N/K  the same shapes through cblas_sgemm
//   BM_peak_fma              fused multiply-adds of the widest ISA, no memory traffic
// Rates are per CPU second of the benchmark thread, except BM_gemm_2threads (per wall second).
#include <benchmark/benchmark.h>

#include <string>
#include <tuple>
#include <vector>

#include "bench_main.hpp"
#include "peak_fma.hpp"
#include "synapse/core/cache_sizes.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"
#include "synapse/ops/kernels/gemm.hpp"

#if defined(SYN_HAVE_OPENBLAS)
#include <cblas.h>
#endif

namespace {

using syn::Isa;
using syn::kernels::Trans;

struct Shape3 {
  int64_t m, n, k;
};

// Square sizes and the model shapes (M x N x K): LSTM/GRU recurrent step and input projection,
// PatchTST projections (9408 = 224 series x 42 patches).
const std::vector<Shape3> kShapes = {
    {64, 64, 64},  {128, 128, 128}, {256, 256, 256}, {512, 512, 512},  {1024, 1024, 1024}, {64, 256, 64},
    {64, 256, 65}, {6144, 256, 1},  {6144, 256, 64}, {9408, 128, 128}, {9408, 256, 128},   {9408, 128, 256},
};
// Transposed products: squares, and PatchTST's linear layers (forward x·Wᵀ is nt at 9408 rows; the
// weight gradient dYᵀ·X is tn with the 9408 rows as depth).
const std::vector<Shape3> kTransposedShapes = {{256, 256, 256},  {1024, 1024, 1024}, {9408, 128, 128},
                                               {9408, 256, 128}, {128, 128, 9408},   {256, 128, 9408}};

struct Operands {
  syn::Tensor a, b, c;
};

Operands make_operands(const Shape3& s) {
  syn::Generator gen(42, 1);
  return {syn::Tensor::rand(syn::Shape{s.m, s.k}, gen, -1.f, 1.f),
          syn::Tensor::rand(syn::Shape{s.k, s.n}, gen, -1.f, 1.f), syn::Tensor::zeros(syn::Shape{s.m, s.n})};
}

void set_flops(benchmark::State& state, const Shape3& s) {
  state.counters["GFLOP/s"] = benchmark::Counter(2e-9 * static_cast<double>(s.m * s.n * s.k),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

// Stored shapes: op(A) is (m, k): A is (m, k) or, transposed, (k, m); likewise B.
int64_t ld_a(const Shape3& s, Trans t) { return t == Trans::yes ? s.m : s.k; }
int64_t ld_b(const Shape3& s, Trans t) { return t == Trans::yes ? s.k : s.n; }

void bm_synapse(benchmark::State& state, Shape3 s, Trans ta, Trans tb, int threads, Isa isa) {
  syn::set_num_threads(threads);
  Operands x = make_operands(s);
  for (auto _ : state) {
    syn::kernels::gemm_isa(isa, ta, tb, s.m, s.n, s.k, 1.f, x.a.data(), ld_a(s, ta), x.b.data(), ld_b(s, tb),
                           0.f, x.c.mutable_data(), s.n);
    benchmark::DoNotOptimize(x.c.data());
    benchmark::ClobberMemory();
  }
  set_flops(state, s);
  state.SetLabel(syn::isa_name(isa));
  syn::set_num_threads(1);
}

#if defined(SYN_HAVE_OPENBLAS)
void bm_openblas(benchmark::State& state, Shape3 s, Trans ta, Trans tb) {
  openblas_set_num_threads(1);
  Operands x = make_operands(s);
  const auto cta = ta == Trans::yes ? CblasTrans : CblasNoTrans,
             ctb = tb == Trans::yes ? CblasTrans : CblasNoTrans;
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, cta, ctb, static_cast<int>(s.m), static_cast<int>(s.n), static_cast<int>(s.k),
                1.f, x.a.data(), static_cast<int>(ld_a(s, ta)), x.b.data(), static_cast<int>(ld_b(s, tb)),
                0.f, x.c.mutable_data(), static_cast<int>(s.n));
    benchmark::DoNotOptimize(x.c.data());
    benchmark::ClobberMemory();
  }
  set_flops(state, s);
  state.SetLabel(openblas_get_corename());
}
#endif

std::string suffix(const Shape3& s) {
  std::string out;
  for (int64_t v : {s.m, s.n, s.k}) out.append("/").append(std::to_string(v));
  return out;
}

// The caches this CPU reports (L2: or SYN_L2_BYTES) and the blocks gemm takes from them.
void add_blocking_context(Isa isa) {
  const syn::CacheSizes& caches = syn::cache_sizes();
  const syn::kernels::GemmBlocking blocks = syn::kernels::gemm_blocking(isa);
  benchmark::AddCustomContext("caches_per_core_KiB", "L1d " + std::to_string(caches.l1d >> 10) + " (" +
                                                         std::to_string(caches.l1d_ways) + "-way), L2 " +
                                                         std::to_string(caches.l2 >> 10) + ", L3 " +
                                                         std::to_string(caches.l3 >> 10));
  benchmark::AddCustomContext("gemm_blocking_" + std::string(syn::isa_name(isa)),
                              "kc " + std::to_string(blocks.kc) + ", mc " + std::to_string(blocks.mc) + ", nc " +
                                  std::to_string(blocks.nc));
}

void register_all() {
  syn::bench::register_peak_fma();
  const Isa best = syn::best_isa();
  add_blocking_context(best);
  for (const Shape3& s : kShapes) {
    benchmark::RegisterBenchmark(("BM_gemm" + suffix(s)).c_str(), bm_synapse, s, Trans::no, Trans::no, 1,
                                 best);
#if defined(SYN_HAVE_OPENBLAS)
    benchmark::RegisterBenchmark(("BM_gemm_openblas" + suffix(s)).c_str(), bm_openblas, s, Trans::no,
                                 Trans::no);
#endif
  }
  // Wall-clock rate: the CPU time Google Benchmark measures is the calling thread's only.
  benchmark::RegisterBenchmark("BM_gemm_2threads/1024/1024/1024", bm_synapse, Shape3{1024, 1024, 1024},
                               Trans::no, Trans::no, 2, best)
      ->UseRealTime();
  for (const Shape3& s : kTransposedShapes) {
    for (auto [name, ta, tb] :
         {std::tuple{"nt", Trans::no, Trans::yes}, std::tuple{"tn", Trans::yes, Trans::no}}) {
      benchmark::RegisterBenchmark(("BM_gemm_" + std::string(name) + suffix(s)).c_str(), bm_synapse, s, ta,
                                   tb, 1, best);
#if defined(SYN_HAVE_OPENBLAS)
      benchmark::RegisterBenchmark(("BM_gemm_openblas_" + std::string(name) + suffix(s)).c_str(), bm_openblas,
                                   s, ta, tb);
#endif
    }
  }
  // Narrower instruction sets on a few shapes, to see what each ISA's tile reaches.
  for (Isa isa : syn::supported_isas()) {
    if (isa == best || isa == Isa::scalar) continue;
    for (const Shape3& s : {Shape3{256, 256, 256}, Shape3{1024, 1024, 1024}, Shape3{64, 256, 64}})
      benchmark::RegisterBenchmark(("BM_gemm_" + std::string(syn::isa_name(isa)) + suffix(s)).c_str(),
                                   bm_synapse, s, Trans::no, Trans::no, 1, isa);
  }
}

}  // namespace

SYN_BENCH_MAIN(register_all)
