// Optimizer step cost, dense vs masked (Note [Masked optimizer steps]): a masked step visits only
// the live entries, so its time should fall with density. Argument: density in percent (100 = no mask).
#include <benchmark/benchmark.h>

#include <memory>

#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/sgd.hpp"

namespace {
constexpr int64_t kNumel = 1 << 20;

syn::Tensor make_param(int64_t percent) {
  syn::Generator gen(1);
  syn::Tensor p = syn::Tensor::randn(syn::Shape{kNumel}, gen).set_requires_grad();
  p.set_grad(syn::Tensor::randn(syn::Shape{kNumel}, gen));
  if (percent < 100) {
    std::vector<uint8_t> live(kNumel);
    for (auto& l : live) l = gen.uniform() * 100 < static_cast<float>(percent);
    auto mask = std::make_shared<syn::Mask>(live);
    mask->live_indices();  // built once per mask, outside the timed steps
    p.set_mask(mask);
  }
  return p;
}

template <class MakeOptimizer>
void run(benchmark::State& state, MakeOptimizer make) {
  syn::Tensor p = make_param(state.range(0));
  auto optimizer = make(p);
  for (auto _ : state) optimizer->step();
  state.SetItemsProcessed(state.iterations() * kNumel);
}

void BM_AdamStep(benchmark::State& state) {
  run(state,
      [](syn::Tensor p) { return std::make_unique<syn::nn::AdamW>(std::vector<syn::Tensor>{p}, 1e-3); });
}
void BM_SgdMomentumStep(benchmark::State& state) {
  run(state, [](syn::Tensor p) {
    return std::make_unique<syn::nn::Sgd>(std::vector<syn::Tensor>{p}, 1e-2,
                                          syn::nn::SgdOptions{.momentum = 0.9, .weight_decay = 1e-4});
  });
}
}  // namespace

BENCHMARK(BM_AdamStep)->Arg(100)->Arg(50)->Arg(10)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SgdMomentumStep)->Arg(100)->Arg(50)->Arg(10)->Arg(2)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
