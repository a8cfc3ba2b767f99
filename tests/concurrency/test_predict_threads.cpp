// One loaded model, predict from 8 threads at once: every thread gets exactly the sequential outputs,
// MC dropout included (Note [Concurrent prediction]). scripts/tsan runs this suite under
// ThreadSanitizer in a build without OpenMP, so a data race inside predict is reported there.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/pruning/pruner.hpp"
#include "synapse/train/model_factory.hpp"
#include "synapse/train/prediction.hpp"

using namespace syn;

namespace {

nn::ModelConfig config_of(const std::string& kind, const std::string& reg) {
  nn::ModelConfig c;
  c.kind = kind;
  c.reg = reg;
  if (reg == "mc-dropout") {
    c.dropout = 0.3;
    c.mc_samples = 3;
  }
  c.lookback = 16;
  c.horizon = 3;
  c.input_size = 2;
  c.hidden_size = 8;
  c.seed = 9;
  c.num_layers = 1;
  c.patch_len = 4;  // patchtst
  c.stride = 4;
  c.d_model = 16;
  c.n_heads = 2;
  c.n_layers = 1;
  c.d_ff = 16;
  return c;
}

}  // namespace

TEST_CASE("concurrency: predict from 8 threads on one model equals the sequential outputs") {
  const std::vector<std::pair<std::string, std::string>> models = {
      {"lstm", "none"}, {"gru", "none"}, {"linear", "none"}, {"patchtst", "none"},
      {"lstm", "mc-dropout"}, {"patchtst", "mc-dropout"}};  // MC passes run on a fresh copy each call
  for (const auto& [kind, reg] : models) {
    for (bool pruned : {false, true}) {
      INFO(kind << " " << reg << (pruned ? " pruned" : ""));
      std::shared_ptr<nn::Forecaster> model = train::make_forecaster(config_of(kind, reg));
      if (pruned) pruning::Pruner(*model, {}).prune(0.6);  // masked weights run the sparse plans
      model->eval();
      Generator gen(4);
      std::vector<Tensor> inputs;
      for (int i = 0; i < 8; ++i) inputs.push_back(Tensor::randn(Shape{5 + i, 16, 2}, gen));
      std::vector<std::vector<float>> expected;
      for (const Tensor& x : inputs) expected.push_back(train::predict(*model, x).mean.to_vector());

      std::vector<std::vector<float>> got(8);
      std::atomic<int> ready{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
          ready.fetch_add(1);
          while (ready.load() < 8) std::this_thread::yield();  // start together
          for (int round = 0; round < 3; ++round) {
            const size_t k = static_cast<size_t>((t + round) % 8);
            std::vector<float> out = train::predict(*model, inputs[k]).mean.to_vector();
            if (round == 2) got[static_cast<size_t>(t)] = std::move(out);
          }
        });
      for (std::thread& th : threads) th.join();
      for (int t = 0; t < 8; ++t) CHECK(got[static_cast<size_t>(t)] == expected[static_cast<size_t>((t + 2) % 8)]);
    }
  }
}
