// Pruned against dense in synapse, one binary, one run (bench/README.md, "Pruned models"):
//   BM_peak_fma                                 the FMA peak of one core, for % of peak
//   BM_linear_masked/N/K/M/sparsity/plan        linear forward + both gradients with a masked weight
//                                               (x: (N, K), W: (M, K)) under a forced plan; counters:
//                                               dense-equivalent GFLOP/s (6·N·K·M per iteration), nnz
//   BM_linear_masked/N/K/M/blockRxC/sparsity/plan   the same with a mask of whole R×C blocks
//                                               (bench/README.md "Block masks")
//   BM_train_step/lstm/unmasked, .../sparsity:S the recurrent peer workload's training step with every
//                                               weight matrix masked at sparsity S (plans chosen
//                                               automatically, Note [Sparse plans])
//   BM_train_step/lstm/blocks/sparsity:S/plan   the same with block masks (each matrix in the first
//                                               block shape that divides it: 4×4, or 4×1 for the
//                                               first layer's (256, 1) W_ih) under a forced plan
//   BM_train_step/patchtst/unmasked, .../sparsity:S   the same for the PatchTST peer workload
//   BM_infer/lstm/b1/unmasked, .../sparsity:S   batch-1 LSTM inference
// Masks are random at exactly the given sparsity: kernel cost depends on the count of live weights,
// not on which ones the pruner keeps. sparsity:0 installs all-live masks, so it measures what a mask
// costs by itself against `unmasked`.
// Run single-threaded: OMP_NUM_THREADS=1 build/release/bench/bench_pruned --benchmark_format=json
#include <benchmark/benchmark.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>

#include "bench_main.hpp"
#include "peak_fma.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/adam.hpp"
#include "synapse/nn/patchtst.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/ops/loss.hpp"
#include "synapse/ops/matmul.hpp"
#include "synapse/ops/sparse_plan.hpp"
#include "workloads.hpp"

namespace {

using syn::Shape;
using syn::SparsePlan;
using syn::Tensor;

// A mask over n entries with exactly round(sparsity·n) dead ones, chosen at random.
std::shared_ptr<const syn::Mask> random_mask(int64_t n, double sparsity, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  std::vector<uint8_t> live(static_cast<size_t>(n), 1);
  const auto dead = static_cast<int64_t>(std::llround(sparsity * static_cast<double>(n)));
  for (int64_t i = 0; i < dead; ++i) live[order[i]] = 0;
  return std::make_shared<const syn::Mask>(live);
}

// A (rows, cols) mask of aligned br × bc blocks with exactly round(sparsity·blocks) dead ones.
std::shared_ptr<const syn::Mask> random_block_mask(int64_t rows, int64_t cols, int64_t br, int64_t bc,
                                                   double sparsity, uint64_t seed) {
  const int64_t grid_cols = cols / bc;
  const auto blocks = random_mask(rows / br * grid_cols, sparsity, seed);
  std::vector<uint8_t> live(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      live[static_cast<size_t>(r * cols + c)] = blocks->live(r / br * grid_cols + c / bc);
  return std::make_shared<const syn::Mask>(live);
}

// Masks every weight matrix (rank-2 parameter) of a model at `sparsity`; with `blocks`, in whole
// blocks of the first shape of kBlockShapes that divides the matrix (single weights where none does).
void mask_weights(const syn::nn::Module& model, double sparsity, bool blocks = false) {
  uint64_t seed = 1;
  for (auto& [name, p] : model.named_parameters()) {
    if (p.rank() != 2) continue;
    syn::BlockShape block{1, 1};
    for (const syn::BlockShape shape : syn::kBlockShapes)
      if (blocks && block.rows * block.cols == 1 && p.size(0) % shape.rows == 0 && p.size(1) % shape.cols == 0)
        block = shape;
    Tensor(p).set_mask(block.rows * block.cols == 1
                           ? random_mask(p.numel(), sparsity, seed++)
                           : random_block_mask(p.size(0), p.size(1), block.rows, block.cols, sparsity, seed++));
  }
}

// block: R×C blocks of the mask ({1, 1}: single weights)
void bm_linear_masked(benchmark::State& state, int64_t n, int64_t k, int64_t m, syn::BlockShape block,
                      double sparsity, SparsePlan plan) {
  syn::Generator gen(0);
  Tensor x = Tensor::randn(Shape{n, k}, gen), w = Tensor::randn(Shape{m, k}, gen);
  w.set_mask(block.rows * block.cols == 1 ? random_mask(w.numel(), sparsity, 7)
                                          : random_block_mask(m, k, block.rows, block.cols, sparsity, 7));
  x.set_requires_grad(true);
  w.set_requires_grad(true);
  const Tensor seed = Tensor::randn(Shape{n, m}, gen);
  const syn::SparsePlanOverride force(plan);
  for (auto _ : state) {
    x.zero_grad();
    w.zero_grad();
    linear(x, w).backward(seed);
    benchmark::DoNotOptimize(w.grad().data());
  }
  state.counters["GFLOP/s"] =
      benchmark::Counter(6.0 * n * k * m * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nnz"] = static_cast<double>(w.mask()->nnz());
}

// The recurrent peer workload's training step, timed.
void train_lstm(benchmark::State& state, syn::nn::RecurrentForecaster& model) {
  syn::nn::Adam opt(model.parameters(), 1e-3);
  syn::Generator gen(0);
  const Tensor x = Tensor::randn(Shape{syn::bench::kRecurrentBatch, syn::bench::kRecurrentLookback, 1}, gen);
  const Tensor y = Tensor::randn(Shape{syn::bench::kRecurrentBatch, syn::bench::kRecurrentHorizon}, gen);
  for (auto _ : state) syn::bench::train_step(model, opt, x, y, syn::mae_loss);
}

// sparsity < 0: no masks at all.
void bm_train_lstm(benchmark::State& state, double sparsity) {
  syn::nn::RecurrentForecaster model(syn::bench::recurrent_peer_config("lstm"));
  if (sparsity >= 0) mask_weights(model, sparsity);
  train_lstm(state, model);
}

void bm_train_lstm_blocks(benchmark::State& state, double sparsity, SparsePlan plan) {
  syn::nn::RecurrentForecaster model(syn::bench::recurrent_peer_config("lstm"));
  mask_weights(model, sparsity, true);
  const syn::SparsePlanOverride force(plan);
  train_lstm(state, model);
}

void bm_infer_lstm(benchmark::State& state, double sparsity) {
  syn::nn::RecurrentForecaster model(syn::bench::recurrent_peer_config("lstm"));
  if (sparsity >= 0) mask_weights(model, sparsity);
  model.eval();
  syn::Generator gen(0);
  const Tensor x = Tensor::randn(Shape{1, syn::bench::kRecurrentLookback, 1}, gen);
  syn::InferenceMode inference;
  for (auto _ : state) {
    Tensor y = model.forward(x);
    benchmark::DoNotOptimize(y.data());
  }
}

void bm_train_patchtst(benchmark::State& state, double sparsity) {
  syn::Generator gen(0);
  syn::nn::PatchTST model(syn::bench::patchtst_peer_options(), gen);
  if (sparsity >= 0) mask_weights(model, sparsity);
  syn::nn::Adam adam(model.parameters(), 1e-4);
  using namespace syn::bench;
  const Tensor x = Tensor::randn(Shape{kPatchBatch, kPatchLookback, kPatchChannels}, gen);
  const Tensor y = Tensor::randn(Shape{kPatchBatch, kPatchHorizon, kPatchChannels}, gen);
  for (auto _ : state) syn::bench::train_step(model, adam, x, y, syn::mse_loss);
}

std::string sparsity_name(double s) {
  return s < 0 ? "unmasked" : "sparsity:" + std::to_string(static_cast<int>(std::lround(s * 100)));
}

template <class F>
void register_model(const std::string& prefix, F fn, std::initializer_list<double> sparsities,
                    benchmark::TimeUnit unit) {
  for (double s : sparsities)
    // The warm-up keeps the first steps (Adam's state, the buffer cache filling up) out of the time.
    benchmark::RegisterBenchmark((prefix + sparsity_name(s)).c_str(), fn, s)->Unit(unit)->MinTime(1)->MinWarmUpTime(1);
}

void register_linear(int64_t n, int64_t k, syn::BlockShape block, double s, SparsePlan plan) {
  const std::string shape = block.rows * block.cols == 1 ? ""
                                                         : "block" + std::to_string(block.rows) + "x" +
                                                               std::to_string(block.cols) + "/";
  const std::string name = "BM_linear_masked/" + std::to_string(n) + "/" + std::to_string(k) + "/" +
                           std::to_string(k) + "/" + shape + std::to_string(std::lround(s * 100)) + "/" +
                           syn::sparse_plan_name(plan);
  benchmark::RegisterBenchmark(name.c_str(), bm_linear_masked, n, k, k, block, s, plan)
      ->Unit(benchmark::kMicrosecond)
      ->MinTime(n * k * k > (int64_t{1} << 26) ? 0.2 : 0.05);
}

void register_all() {
  syn::bench::register_peak_fma();
  for (int64_t n : {1, 64, 6144})
    for (int64_t k : {64, 256, 1024})
      for (double s : {0.0, 0.5, 0.8, 0.9, 0.95, 0.99})
        for (SparsePlan plan : {SparsePlan::dense, SparsePlan::sparse})
          register_linear(n, k, {1, 1}, s, plan);
  for (int64_t n : {64, 6144})
    for (int64_t k : {256, 1024})
      for (syn::BlockShape block : syn::kBlockShapes)
        for (double s : {0.5, 0.7, 0.8, 0.9, 0.95})
          for (SparsePlan plan : {SparsePlan::dense, SparsePlan::sparse, SparsePlan::block})
            register_linear(n, k, block, s, plan);
  register_model("BM_train_step/lstm/", bm_train_lstm, {-1, 0, 0.5, 0.8, 0.9, 0.95}, benchmark::kMillisecond);
  for (double s : {0.8, 0.9})
    for (SparsePlan plan : {SparsePlan::dense, SparsePlan::sparse, SparsePlan::block})
      benchmark::RegisterBenchmark(
          ("BM_train_step/lstm/blocks/" + sparsity_name(s) + "/" + syn::sparse_plan_name(plan)).c_str(),
          bm_train_lstm_blocks, s, plan)
          ->Unit(benchmark::kMillisecond)
          ->MinTime(1)
          ->MinWarmUpTime(1);
  register_model("BM_infer/lstm/b1/", bm_infer_lstm, {-1, 0, 0.9}, benchmark::kMicrosecond);
  register_model("BM_train_step/patchtst/", bm_train_patchtst, {-1, 0, 0.5, 0.9}, benchmark::kMillisecond);
}

}  // namespace

SYN_BENCH_MAIN(register_all)
