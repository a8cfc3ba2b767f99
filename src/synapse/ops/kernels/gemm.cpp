// GEMM driver (baseline code): picks the ISA's building blocks, splits C into one region per thread,
// and runs the blocked loop nest of Note [GEMM blocking] on each region.
#include "synapse/ops/kernels/gemm.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <numeric>

#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/ops/kernels/gemm_kernels.hpp"

namespace syn::kernels {

namespace {

struct Problem {
  bool trans_a, trans_b;
  int64_t m, n, k;
  float alpha;
  const float* a;
  int64_t lda;
  const float* b;
  int64_t ldb;
  float beta;
  float* c;
  int64_t ldc;
};

// A per-thread, 64-byte aligned scratch buffer that only grows (packing buffers are reused across
// calls: recurrent steps call gemm hundreds of times per training step).
class Scratch {
 public:
  float* get(int64_t n) {
    if (n > size_) {
      const size_t bytes = (static_cast<size_t>(n) * sizeof(float) + 63) / 64 * 64;
      data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
      SYN_CHECK(data_ != nullptr, "gemm: cannot allocate ", bytes, " bytes of packing space");
      size_ = n;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  int64_t size_ = 0;
};

int64_t round_up(int64_t x, int64_t step) { return (x + step - 1) / step * step; }

// Whole tiles: `x` (at most `hi`) rounded up to a multiple of `tile`, at least lo_tiles tiles. Up, so
// that a block the caches size at 1024 columns covers 1024 columns (22 tiles of 48) instead of
// leaving a strip of 16 to a second block.
int64_t whole_tiles(int64_t x, int64_t tile, int64_t lo_tiles, int64_t hi) {
  return std::max(lo_tiles, (std::min(x, hi) + tile - 1) / tile) * tile;
}

// GemmBlockingOverride's mc and nc (0: none alive).
std::atomic<int64_t> g_override_mc{0}, g_override_nc{0};

// Depth blocks: ceil(k / kc_max) blocks of equal size (the last may be shorter). Depends only on k
// and the ISA, never on threads (Note [GEMM blocking]).
int64_t depth_block(int64_t k, int64_t kc_max) {
  const int64_t blocks = (k + kc_max - 1) / kc_max;
  return (k + blocks - 1) / blocks;
}

// Packing (Note [GEMM blocking]) copies an operand into strips in the order the micro-kernel reads
// them. It costs one pass over the operand, which the smallest products (a recurrent step: 64 x 256
// x 64) cannot afford, so it is done only where measurements showed it pays:
// - op(A) is packed when at least 4 B strips sweep each A strip and reading it in place would be
//   poor: Aᵀ (each k step touches a new cache line, only mr floats of it used) or rows of one strip
//   that fall into few L1 sets: at least half as many rows share a set as L1 has ways (a row stride
//   of a multiple of one way, 4 KiB on the Xeon and the EPYC; or of 2 KiB on the 8-way EPYC).
// - op(B) = Bᵀ is always packed (the micro-kernel needs nr consecutive columns); op(B) = B is read in
//   place when at most 16 A strips reuse each B strip; a partial last strip is packed on its own.
bool pack_a_pays(const Problem& p, const GemmKernels& kern, const GemmBlocking& blocks) {
  const int64_t b_strips = (p.n + kern.nr - 1) / kern.nr;
  if (b_strips < 4) return false;
  if (p.trans_a) return true;
  // Row starts lda floats apart hit way / gcd(stride, way) distinct offsets within one way.
  const int64_t way = std::max<int64_t>(64, blocks.l1_way_bytes);
  const int64_t offsets = way / std::gcd(p.lda * static_cast<int64_t>(sizeof(float)), way);
  const int64_t rows_per_set = (kern.mr + offsets - 1) / offsets;
  return 2 * rows_per_set >= blocks.l1_ways;
}

bool pack_b_pays(const Problem& p, const GemmKernels& kern) {
  const int64_t a_strips = (p.m + kern.mr - 1) / kern.mr;
  return p.trans_b || a_strips > 16;
}

void run_region(const GemmKernels& kern, const GemmBlocking& blocks, const Problem& p, int64_t i0, int64_t i1,
                int64_t j0, int64_t j1) {
  thread_local Scratch a_scratch, b_scratch;
  const int64_t kc_max = depth_block(p.k, kern.kc);
  const bool pack_a = pack_a_pays(p, kern, blocks), pack_b = pack_b_pays(p, kern);
  float* b_pack = b_scratch.get(kc_max * (pack_b ? round_up(std::min(blocks.nc, j1 - j0), kern.nr) : kern.nr));
  float* a_pack = pack_a ? a_scratch.get(kc_max * round_up(std::min(blocks.mc, i1 - i0), kern.mr)) : nullptr;
  for (int64_t jc = j0; jc < j1; jc += blocks.nc) {
    const int64_t nc = std::min(blocks.nc, j1 - jc);
    for (int64_t pc = 0; pc < p.k; pc += kc_max) {
      const int64_t kc = std::min(kc_max, p.k - pc);
      GemmBlock blk;
      blk.nc = nc;
      blk.kc = kc;
      const float* b = p.trans_b ? p.b + jc * p.ldb + pc : p.b + pc * p.ldb + jc;
      if (pack_b) {
        kern.pack_b(p.trans_b, b, p.ldb, kc, nc, b_pack);
        blk.b = b_pack;
        blk.b_stride = kern.nr;
        blk.b_strip_step = kern.nr * kc;
      } else {
        blk.b = b;
        blk.b_stride = p.ldb;
        blk.b_strip_step = kern.nr;
        if (const int64_t full = nc / kern.nr * kern.nr; full < nc) {
          kern.pack_b(false, b + full, p.ldb, kc, nc - full, b_pack);
          blk.b_edge = b_pack;
        }
      }
      for (int64_t ic = i0; ic < i1; ic += blocks.mc) {
        blk.mc = std::min(blocks.mc, i1 - ic);
        const float* a = p.trans_a ? p.a + pc * p.lda + ic : p.a + ic * p.lda + pc;
        if (pack_a) {
          kern.pack_a(p.trans_a, a, p.lda, blk.mc, kc, a_pack);
          blk.a = a_pack;
          blk.a_stride = kern.mr;
          blk.a_strip_step = kern.mr * kc;
        } else {
          blk.a = a;
          blk.a_stride = p.lda;
          blk.a_strip_step = p.trans_a ? kern.mr : kern.mr * p.lda;
          blk.a_rows = !p.trans_a;
        }
        blk.c = p.c + ic * p.ldc + jc;
        blk.ldc = p.ldc;
        blk.alpha = p.alpha;
        blk.beta = pc == 0 ? p.beta : 1.f;
        kern.block(blk);
      }
    }
  }
}

// Fewer flops than this run on the calling thread: a parallel region costs more than it saves.
constexpr double kParallelMinFlops = 4e6;

// Threads own disjoint bands of C: bands of whole row strips (or column strips when C is wider than
// tall), one per thread, cut by parallel_for (so GrainOverride splits small products too).
void gemm_blocked(const GemmKernels& kern, const Problem& p) {
  const GemmBlocking blocks = gemm_blocking(kern.isa);
  const double flops = 2.0 * static_cast<double>(p.m) * static_cast<double>(p.n) * static_cast<double>(p.k);
  const bool split_rows = p.m >= p.n;
  const int64_t tile = split_rows ? kern.mr : kern.nr;
  const int64_t len = split_rows ? p.m : p.n, units = (len + tile - 1) / tile;
  parallel_for(units, flops < kParallelMinFlops ? units : 1, [&](int64_t begin, int64_t end) {
    const int64_t lo = begin * tile, hi = std::min(len, end * tile);
    if (split_rows)
      run_region(kern, blocks, p, lo, hi, 0, p.n);
    else
      run_region(kern, blocks, p, 0, p.m, lo, hi);
  });
}

// Isa::scalar: a plain loop nest, one row of C per task, float accumulation over k in order.
void gemm_scalar(const Problem& p) {
  parallel_for(p.m, std::max<int64_t>(1, 65536 / std::max<int64_t>(1, p.n * p.k)), [&](int64_t b, int64_t e) {
    std::unique_ptr<float[]> acc(new float[static_cast<size_t>(p.n)]);
    for (int64_t i = b; i < e; ++i) {
      std::fill(acc.get(), acc.get() + p.n, 0.f);
      for (int64_t q = 0; q < p.k; ++q) {
        const float av = p.trans_a ? p.a[q * p.lda + i] : p.a[i * p.lda + q];
        for (int64_t j = 0; j < p.n; ++j)
          acc[j] += av * (p.trans_b ? p.b[j * p.ldb + q] : p.b[q * p.ldb + j]);
      }
      float* ci = p.c + i * p.ldc;
      for (int64_t j = 0; j < p.n; ++j) ci[j] = p.alpha * acc[j] + (p.beta == 0.f ? 0.f : p.beta * ci[j]);
    }
  });
}

void run(Isa isa, const Problem& p) {
  if (p.m <= 0 || p.n <= 0) return;
  const GemmKernels* kern = gemm_kernels_for(isa);
  if (kern == nullptr || p.k <= 0) {
    gemm_scalar(p);
    return;
  }
  gemm_blocked(*kern, p);
}

}  // namespace

GemmBlocking gemm_blocking(Isa isa, const CacheSizes& caches) {
  const GemmKernels* kern = gemm_kernels_for(isa);
  if (kern == nullptr) return {};
  // Note [GEMM blocking]: the B panel (kc x nc) takes half of L2, the A block (mc x kc) a quarter.
  const int64_t column_bytes = kern->kc * static_cast<int64_t>(sizeof(float));
  const int64_t ways = std::max<int64_t>(1, caches.l1d_ways);
  return {kern->kc, whole_tiles(caches.l2 / 4 / column_bytes, kern->mr, 4, 2048),
          whole_tiles(caches.l2 / 2 / column_bytes, kern->nr, 4, 8192), caches.l1d / ways, ways};
}

GemmBlocking gemm_blocking(Isa isa) {
  GemmBlocking out = gemm_blocking(isa, cache_sizes());
  const GemmKernels* kern = gemm_kernels_for(isa);
  if (const int64_t mc = g_override_mc.load(std::memory_order_relaxed); mc > 0 && kern != nullptr)
    out.mc = whole_tiles(mc, kern->mr, 1, mc);
  if (const int64_t nc = g_override_nc.load(std::memory_order_relaxed); nc > 0 && kern != nullptr)
    out.nc = whole_tiles(nc, kern->nr, 1, nc);
  return out;
}

GemmBlockingOverride::GemmBlockingOverride(int64_t mc, int64_t nc) {
  SYN_CHECK_T(ValueError, mc > 0 && nc > 0, "GemmBlockingOverride: mc = ", mc, " and nc = ", nc,
              " must be positive");
  g_override_mc = mc;
  g_override_nc = nc;
}

GemmBlockingOverride::~GemmBlockingOverride() {
  g_override_mc = 0;
  g_override_nc = 0;
}

void gemm_reference(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                    const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
                    int64_t ldc) {
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < k; ++p) {
        const float av = trans_a == Trans::yes ? a[p * lda + i] : a[i * lda + p];
        const float bv = trans_b == Trans::yes ? b[j * ldb + p] : b[p * ldb + j];
        acc += static_cast<double>(av) * bv;
      }
      float& out = c[i * ldc + j];
      out = static_cast<float>(alpha * acc) + (beta == 0.f ? 0.f : beta * out);
    }
  }
}

void gemm_isa(Isa isa, Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha,
              const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  SYN_CHECK_T(ValueError, cpu_supports(isa), "gemm: this CPU cannot run ", isa_name(isa));
  run(isa,
      Problem{trans_a == Trans::yes, trans_b == Trans::yes, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc});
}

void gemm(Trans trans_a, Trans trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  run(kernel_isa(),
      Problem{trans_a == Trans::yes, trans_b == Trans::yes, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc});
}

}  // namespace syn::kernels
