// Faults during training and saving: non-finite batches, interrupts, resumable training states
// (Note [Resumable training]), SIGKILL during a checkpoint save (Note [Atomic replace]), damaged
// checkpoint and state files, and 1 vs 2 threads with pruning (Note [Determinism]).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/model_factory.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/train_state.hpp"
#include "synapse/train/trainer.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;
using syn::testing::sine_series;
using syn::testing::TempDir;
namespace fs = std::filesystem;

namespace {

forecast::ForecastData sine_data() {
  return forecast::ForecastData::prepare(sine_series(300), forecast::Protocol::clean(),
                                         forecast::ScalerKind::standard, {12, 2});
}

nn::ModelConfig small_lstm(bool pruning) {
  nn::ModelConfig c;
  c.kind = "lstm";
  c.lookback = 12;
  c.horizon = 2;
  c.hidden_size = 8;
  c.num_layers = 1;
  c.seed = 5;
  if (pruning) c.reg = "pruning";
  return c;
}

pruning::Schedule ramp() {
  pruning::Schedule s;
  s.kind = pruning::ScheduleKind::zhu_gupta;
  s.initial_sparsity = 0.0;
  s.final_sparsity = 0.6;
  s.begin = {1, pruning::TimeUnit::epochs};
  s.end = {5, pruning::TimeUnit::epochs};
  s.frequency = 3;
  return s;
}

TrainerOptions options(int64_t epochs) {
  TrainerOptions o;
  o.epochs = epochs;
  o.batch_size = 32;
  o.progress = ProgressMode::never;
  o.seed = 11;
  o.clip_norm = 1.0;
  return o;
}

// Every value and mask bit of the model.
std::vector<float> weights_of(const nn::Module& model) {
  std::vector<float> out;
  for (const auto& [_, t] : model.state_dict()) {
    const auto v = t.to_vector();
    out.insert(out.end(), v.begin(), v.end());
    for (int64_t i = 0; i < t.numel(); ++i) out.push_back(t.mask() ? float(t.mask()->live(i)) : 2.f);
  }
  return out;
}

// Trains a pruned LSTM for `epochs` (Adam or SGD with momentum); with `stop_at` (epoch, batch) the run
// is interrupted there after writing states every epoch to `state`; with `resume` it continues one.
struct Run {
  std::vector<float> weights;
  TrainResult result;
};
Run train_lstm(int64_t epochs, OptimizerKind optimizer, const std::string& state = "",
               std::pair<int64_t, int64_t> stop_at = {0, 0}, const TrainState* resume = nullptr) {
  const auto data = sine_data();
  auto model = make_forecaster(small_lstm(true));
  PruningCallback pruning(pruning::Pruner(*model, {}), ramp());
  volatile std::sig_atomic_t flag = 0;
  struct Stopper : TrainerCallback {
    std::pair<int64_t, int64_t> at;
    volatile std::sig_atomic_t* flag;
    void on_step(const StepInfo& i, nn::Forecaster&) override {
      if (i.epoch == at.first && i.batch == at.second) *flag = 1;
    }
  } stopper;
  stopper.at = stop_at;
  stopper.flag = &flag;
  TrainerOptions o = options(epochs);
  o.optimizer = optimizer;
  o.momentum = 0.9;
  o.callbacks = {&pruning, &stopper};
  o.interrupt = &flag;
  if (!state.empty()) {
    o.checkpoint_every = 1;
    o.checkpoint_path = state;
  }
  o.resume = resume;
  Run r;
  r.result = Trainer(*model, o).fit(data.train, &*data.val);
  r.weights = weights_of(*model);
  return r;
}

std::vector<char> file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("resilience: a NaN batch stops naming epoch and batch, or is skipped and counted") {
  auto data = sine_data();
  // Window 40 gets a NaN input: without shuffling it is in batch 2 of every epoch.
  data.train.inputs.mutable_data()[40 * 12 + 3] = std::numeric_limits<float>::quiet_NaN();
  auto run = [&](bool skip) {
    auto model = make_forecaster(small_lstm(false));
    TrainerOptions o = options(3);
    o.shuffle = false;
    o.skip_nonfinite = skip;
    TrainResult r = Trainer(*model, o).fit(data.train, &*data.val);
    for (const Tensor& p : model->parameters())
      for (float v : p.to_vector()) REQUIRE(std::isfinite(v));
    return r;
  };
  const TrainResult stopped = run(false);
  INFO(stopped.message);
  CHECK(stopped.stop_reason == StopReason::nan);
  CHECK(stopped.message.find("nan at epoch 1, batch 2") != std::string::npos);
  CHECK(stopped.kept_epoch == 0);
  const TrainResult skipped = run(true);
  CHECK(skipped.stop_reason == StopReason::completed);
  CHECK(skipped.skipped_batches == 3);  // one per epoch
  CHECK(skipped.history.size() == 3);
  CHECK(std::isfinite(skipped.history.back().train_loss));
  CHECK(skipped.message.find("3 non-finite batches skipped") != std::string::npos);
}

TEST_CASE("resilience: an interrupt stops after the current batch and keeps the best weights") {
  const Run r = train_lstm(6, OptimizerKind::adam, "", {3, 2});
  INFO(r.result.message);
  CHECK(r.result.stop_reason == StopReason::interrupted);
  CHECK(r.result.message.find("interrupted after batch 2 of 7 of epoch 3") != std::string::npos);
  CHECK(r.result.history.size() == 2);
  // The pruning schedule runs until epoch 5, so no epoch is settled yet: the last completed epoch is
  // the one kept (Note [Training loop]).
  CHECK(r.result.best_epoch == 0);
  CHECK(r.result.kept_epoch == 2);
}

TEST_CASE("resilience: a run resumed from its training state ends bitwise equal to an uninterrupted one") {
  TempDir dir("resume");
  for (OptimizerKind optimizer : {OptimizerKind::adam, OptimizerKind::sgd}) {
    const Run full = train_lstm(6, optimizer);
    for (int64_t stop_epoch : {2, 4, 6}) {  // the schedule ends with epoch 5: the last state is settled
      const std::string state = dir.file("run.state");
      fs::remove(state);
      const Run cut = train_lstm(6, optimizer, state, {stop_epoch, 3});
      REQUIRE(cut.result.stop_reason == StopReason::interrupted);
      const TrainState saved = load_train_state(state);
      CHECK(saved.epoch == stop_epoch - 1);
      REQUIRE(saved.callbacks.size() == 2);
      const auto model = make_forecaster(small_lstm(true));
      PruningCallback restored(pruning::Pruner(*model, {}), ramp());
      restored.restore_state(saved.callbacks[0]);
      CHECK(restored.settled() == (saved.epoch >= 5));
      CHECK_THROWS_AS(restored.restore_state("3 1"), ValueError);  // "UPDATES WARNED SETTLED" + 8 words expected
      const Run resumed = train_lstm(6, optimizer, state, {0, 0}, &saved);
      CHECK(resumed.result.resumed_after == stop_epoch - 1);
      CHECK(resumed.result.history.size() == full.result.history.size());
      CHECK(resumed.result.kept_epoch == full.result.kept_epoch);
      CHECK(resumed.weights == full.weights);
    }
  }
}

TEST_CASE("resilience: a training state of another run is refused naming the difference") {
  TempDir dir("resume_other");
  const std::string state = dir.file("run.state");
  train_lstm(3, OptimizerKind::adam, state, {2, 2});
  const TrainState saved = load_train_state(state);
  const auto data = sine_data();
  auto model = make_forecaster(small_lstm(true));
  PruningCallback pruning(pruning::Pruner(*model, {}), ramp());
  TrainerOptions o = options(3);
  o.lr = 2e-3;
  o.callbacks = {&pruning};
  o.resume = &saved;
  CHECK_THROWS_WITH_AS(Trainer(*model, o).fit(data.train, &*data.val),
                       doctest::Contains("another run (settings, model or data differ; first difference: 'lr=0.001"),
                       ValueError);
}

TEST_CASE("resilience: a damaged training state is refused, truncated anywhere or with any byte flipped") {
  TempDir dir("state_damage");
  const std::string state = dir.file("run.state");
  train_lstm(3, OptimizerKind::adam, state, {2, 2});
  const std::vector<char> bytes = file_bytes(state);
  REQUIRE(bytes.size() > 100);
  for (size_t n = 0; n < bytes.size(); n += 1 + n / 64)
    CHECK_THROWS_AS(parse_train_state(std::span(bytes.data(), n), "state"), ValueError);
  for (size_t i = 0; i < bytes.size(); i += 1 + i / 64) {
    std::vector<char> flipped = bytes;
    flipped[i] ^= 0x10;
    CHECK_THROWS_AS(parse_train_state(flipped, "state"), ValueError);
  }
  CHECK_THROWS_WITH_AS(load_train_state(dir.path), doctest::Contains("is a directory"), ValueError);
}

TEST_CASE("resilience: a checkpoint truncated at every byte or with any bit flipped is refused") {
  auto model = make_forecaster(small_lstm(true));
  pruning::Pruner(*model, {}).prune(0.5);
  DataSettings data;
  data.target = "y";
  data.scaler.offset = {1.0};
  data.scaler.scale = {2.0};
  TempDir dir("ckpt_damage");
  const std::string path = dir.file("m.syn");
  save_checkpoint(path, make_checkpoint(*model, data));
  const std::vector<char> bytes = file_bytes(path);
  CHECK_NOTHROW(parse_checkpoint(bytes, "c"));
  for (size_t n = 0; n < bytes.size(); ++n)
    REQUIRE_THROWS_AS(parse_checkpoint(std::span(bytes.data(), n), "c"), ValueError);
  for (size_t i = 0; i < bytes.size(); ++i)
    for (int bit : {0, 7}) {
      std::vector<char> flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      REQUIRE_THROWS_AS(parse_checkpoint(flipped, "c"), ValueError);
    }
  std::vector<char> newer = bytes;
  newer[8] = static_cast<char>(kCheckpointVersion + 1);  // the version field follows the 8-byte magic
  CHECK_THROWS_WITH_AS(parse_checkpoint(newer, "c"),
                       doctest::Contains(detail::concat("format version ", kCheckpointVersion + 1, " is newer").c_str()),
                       ValueError);
  CHECK_THROWS_WITH_AS(load_checkpoint(dir.path), doctest::Contains("is a directory, not a file"), ValueError);
  // A checkpoint whose tensors do not fit its model (another shape) is refused by restore_model.
  Checkpoint other = parse_checkpoint(bytes, "c");
  other.config.hidden_size = 9;
  CHECK_THROWS_WITH_AS(restore_model(other, "m.syn"), doctest::Contains("m.syn"), ValueError);
}

TEST_CASE("resilience: SIGKILL at any point of a checkpoint save leaves the old or the new file") {
  TempDir dir("kill_save");
  const std::string path = dir.file("m.syn");
  DataSettings data;
  data.target = "y";
  data.scaler.offset = {0.0};
  data.scaler.scale = {1.0};
  nn::ModelConfig big = small_lstm(false);
  big.hidden_size = 96;  // a file of a few hundred KB, so kills land inside writes too
  auto a = make_forecaster(big);
  big.seed = 6;
  auto b = make_forecaster(big);
  const Checkpoint ca = make_checkpoint(*a, data), cb = make_checkpoint(*b, data);
  save_checkpoint(path, ca);
  const std::vector<char> old_bytes = file_bytes(path);
  save_checkpoint(path, cb);
  const std::vector<char> new_bytes = file_bytes(path);
  REQUIRE(old_bytes != new_bytes);
  int kills = 0;
  for (int round = 0; round < 60; ++round) {
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      for (int i = 0;; ++i) save_checkpoint(path, i % 2 ? ca : cb);  // until killed
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200 + 997 * round % 20000));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    kills += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    const std::vector<char> now = file_bytes(path);
    REQUIRE((now == old_bytes || now == new_bytes));
    CHECK_NOTHROW(load_checkpoint(path));
  }
  CHECK(kills == 60);
}

TEST_CASE("resilience: training with pruning gives bitwise the same weights and masks at 1 and 2 threads") {
  auto run = [](int threads) {
    const int previous = num_threads();
    set_num_threads(threads);
    GrainOverride grain(5);
    const Run r = train_lstm(4, OptimizerKind::adam);
    set_num_threads(previous);
    return r.weights;
  };
  const std::vector<float> one = run(1), two = run(2);
  CHECK(one == two);
}
