// Memory across epochs: once the first epoch has run, a training run's steady state allocates no new
// large blocks (Note [Buffer cache]), holds a constant cache, and its resident memory does not grow.
#include <doctest/doctest.h>

#include <vector>

#include "synapse/core/buffer_cache.hpp"
#include "synapse/core/process_memory.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/train/trainer.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;

namespace {

// ASan keeps freed blocks resident in its quarantine and TSan grows shadow memory, so there the
// resident size says nothing about the library.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kResidentMeaningful = false;
#else
constexpr bool kResidentMeaningful = true;
#endif

// After each epoch: resident bytes and the training thread's buffer cache counters.
struct MemoryRecorder : TrainerCallback {
  std::vector<size_t> resident;
  std::vector<BufferCacheStats> cache;
  int64_t steps = 0;
  void on_step(const StepInfo&, nn::Forecaster&) override { ++steps; }
  void on_epoch_end(const EpochInfo&, nn::Forecaster&) override {
    resident.push_back(resident_bytes());
    cache.push_back(buffer_cache_stats());
  }
};

}  // namespace

TEST_CASE("memory: a training run does not grow after its first epoch") {
  auto data = forecast::ForecastData::prepare(testing::sine_series(1500), forecast::Protocol::clean(),
                                              forecast::ScalerKind::standard, {30, 1});
  nn::ModelConfig c;
  c.kind = "lstm";
  c.lookback = 30;
  c.horizon = 1;
  c.num_layers = 1;
  nn::RecurrentForecaster model(c);
  MemoryRecorder rec;
  TrainerOptions o;
  o.epochs = 4;
  o.early_stopping.enabled = false;
  o.progress = ProgressMode::never;
  o.callbacks = {&rec};
  release_cached_memory();
  const TrainResult r = Trainer(model, o).fit(data.train, &*data.val);
  REQUIRE(r.history.size() == 4);
  REQUIRE(rec.resident.front() > 0);  // Linux reports it
  REQUIRE(rec.steps >= 4 * 10);
  for (size_t e = 1; e < rec.cache.size(); ++e) {
    CHECK(rec.cache[e].misses == rec.cache[0].misses);  // every large block came from the cache
    CHECK(rec.cache[e].cached_bytes == rec.cache[0].cached_bytes);
  }
  CHECK(rec.cache.back().hits > rec.cache.front().hits);  // large blocks were asked for, and reused
  if (!kResidentMeaningful) return;
  // A step's saved tensors are megabytes (the gates of 64 windows × 30 steps × 256 units alone are
  // 2 MiB) and an epoch has at least 10 steps: keeping anything per step would add far more than
  // 1 MiB, which allows for the allocator's page-granular bookkeeping.
  for (size_t e = 1; e < rec.resident.size(); ++e) {
    CHECK_MESSAGE(rec.resident[e] <= rec.resident[0] + (size_t{1} << 20),
                  "epoch " << e + 1 << ": " << rec.resident[e] << " bytes resident, " << rec.resident[0]
                           << " after the first");
  }
}
