// The libtorch (C++) side of bench_small.cpp: ../shared/peers/torch_small.py's models (one layer of 64
// units, batch 64, horizon 1, Adam lr 1e-3 on the MSE) in libtorch_forecaster.hpp's forecaster.
#include "libtorch_small.hpp"

#include <string>

#include "libtorch_forecaster.hpp"

namespace syn::bench {
namespace {

constexpr int64_t kBatch = 64, kHidden = 64;

template <class Model>
void bm_train_small_libtorch(benchmark::State& state, int64_t lookback, int64_t features) {
  torch_setup();
  Model model(features, kHidden, 1, 1);
  torch_train_steps(state, model, 1e-3, kBatch, lookback, features, 1, /*l1_loss=*/false, /*warmup=*/3);
}

}  // namespace

void register_libtorch_small(const std::string& kind, int64_t lookback, int64_t features) {
  const std::string name =
      "BM_train_step_libtorch/" + kind + "_small/T:" + std::to_string(lookback) + "/f:" + std::to_string(features);
  auto* bench = kind == "lstm" ? benchmark::RegisterBenchmark(name.c_str(), bm_train_small_libtorch<TorchLstm>,
                                                              lookback, features)
                               : benchmark::RegisterBenchmark(name.c_str(), bm_train_small_libtorch<TorchRnn>,
                                                              lookback, features);
  bench->Unit(benchmark::kMicrosecond)->MinTime(0.3);
}

}  // namespace syn::bench
