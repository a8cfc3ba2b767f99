// Attention forward + backward at the PatchTST shapes, one thread (bench/README.md, "GEMM and
// attention"). (B, H, T, D) = (batch x channels, heads, patches, head size).
//   BM_attention/B/H/T/D           the fused op: scaled_dot_product_attention, then backward
//   BM_attention_composed/B/H/T/D  the unfused composition from our own kernels (gemm per head,
//                                  softmax pass, every (B, H, T, T) intermediate materialised)
//   BM_attention_libtorch/B/H/T/D  libtorch: matmul, softmax, matmul and autograd backward
// The GFLOP/s counter counts the six T x T x D matrix products of forward and backward (the fused
// backward's recomputation of Q·Kᵀ is not counted), so it compares times on one scale.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "bench_main.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/random.hpp"
#include "synapse/ops/attention.hpp"
#include "synapse/ops/attention_composed.hpp"

#if defined(SYN_HAVE_LIBTORCH)
#include "torch_attention_peer.hpp"
#endif

namespace {

struct Dims4 {
  int64_t b, h, t, d;
};

// PatchTST: 32 series x 7 channels = 224, 42 patches; d_model 128 as 16 heads x 8 or 4 heads x 16
// (the second with 64 patches).
const std::vector<Dims4> kShapes = {{224, 16, 42, 8}, {224, 4, 64, 16}};

void set_counters(benchmark::State& state, const Dims4& s) {
  const double flops = 12.0 * static_cast<double>(s.b * s.h) * static_cast<double>(s.t * s.t * s.d);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

syn::Tensor random(const syn::Shape& shape, uint64_t stream) {
  syn::Generator gen(7, stream);
  return syn::Tensor::rand(shape, gen, -1.f, 1.f);
}

void bm_fused(benchmark::State& state, Dims4 s, bool causal) {
  syn::set_num_threads(1);
  const syn::Shape shape{s.b, s.h, s.t, s.d};
  syn::Tensor q = random(shape, 1), k = random(shape, 2), v = random(shape, 3);
  const syn::Tensor dout = random(shape, 4);
  for (syn::Tensor* t : {&q, &k, &v}) t->set_requires_grad(true);
  for (auto _ : state) {
    for (syn::Tensor* t : {&q, &k, &v}) t->zero_grad();
    syn::Tensor out = syn::scaled_dot_product_attention(q, k, v, causal);
    out.backward(dout);
    benchmark::DoNotOptimize(q.grad().data());
  }
  set_counters(state, s);
}

void bm_composed(benchmark::State& state, Dims4 s, bool causal) {
  syn::set_num_threads(1);
  const syn::kernels::AttentionDims dims{s.t,   s.t, s.d, s.d, 1.f / std::sqrt(static_cast<float>(s.d)),
                                         causal};
  const syn::Shape shape{s.b, s.h, s.t, s.d};
  const syn::Tensor q = random(shape, 1), k = random(shape, 2), v = random(shape, 3), dout = random(shape, 4);
  for (auto _ : state) {
    std::vector<float> out(static_cast<size_t>(shape.numel())), probs, dq(out.size()), dk(out.size()),
        dv(out.size());
    syn::composed_attention_forward(dims, s.b * s.h, q.data(), k.data(), v.data(), out.data(), probs);
    syn::composed_attention_backward(dims, s.b * s.h, q.data(), k.data(), v.data(), probs, dout.data(),
                                     dq.data(), dk.data(), dv.data());
    benchmark::DoNotOptimize(dq.data());
  }
  set_counters(state, s);
}

#if defined(SYN_HAVE_LIBTORCH)
void bm_libtorch(benchmark::State& state, Dims4 s, bool causal) {
  syn::bench::TorchAttention peer(s.b, s.h, s.t, s.d, causal);
  for (auto _ : state) peer.run();
  set_counters(state, s);
}
#endif

std::string suffix(const Dims4& s) {
  std::string out;
  for (int64_t v : {s.b, s.h, s.t, s.d}) out.append("/").append(std::to_string(v));
  return out;
}

void register_all() {
  for (const Dims4& s : kShapes) {
    for (bool causal : {false, true}) {
      const std::string tag = causal ? "_causal" : "";
      benchmark::RegisterBenchmark(("BM_attention" + tag + suffix(s)).c_str(), bm_fused, s, causal)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("BM_attention_composed" + tag + suffix(s)).c_str(), bm_composed, s,
                                   causal)
          ->Unit(benchmark::kMillisecond);
#if defined(SYN_HAVE_LIBTORCH)
      benchmark::RegisterBenchmark(("BM_attention_libtorch" + tag + suffix(s)).c_str(), bm_libtorch, s,
                                   causal)
          ->Unit(benchmark::kMillisecond);
#endif
    }
  }
}

}  // namespace

SYN_BENCH_MAIN(register_all)
