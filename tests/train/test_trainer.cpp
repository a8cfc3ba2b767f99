#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/train/trainer.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;
using syn::testing::linear_config;
using syn::testing::sine_series;

namespace {

// Records a copy of every parameter after each epoch, and counts steps.
struct Recorder : TrainerCallback {
  std::vector<nn::StateDict> epochs;  // epochs[e - 1] after epoch e
  std::vector<StepInfo> steps;
  void on_step(const StepInfo& info, nn::Forecaster&) override { steps.push_back(info); }
  void on_epoch_end(const EpochInfo&, nn::Forecaster& model) override {
    nn::StateDict copy = model.state_dict();
    for (auto& [_, t] : copy) t = t.clone();
    epochs.push_back(copy);
  }
};

// Runs f at one step (epoch, batch).
struct AtStep : TrainerCallback {
  int64_t epoch, batch;
  std::function<void(nn::Forecaster&)> f;
  AtStep(int64_t e, int64_t b, std::function<void(nn::Forecaster&)> fn)
      : epoch(e), batch(b), f(std::move(fn)) {}
  void on_step(const StepInfo& info, nn::Forecaster& model) override {
    if (info.epoch == epoch && info.batch == batch) f(model);
  }
};

bool same_values(const nn::StateDict& a, const nn::StateDict& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].first != b[i].first || a[i].second.to_vector() != b[i].second.to_vector()) return false;
  return true;
}

TrainerOptions quiet(int64_t epochs) {
  TrainerOptions o;
  o.epochs = epochs;
  o.progress = ProgressMode::never;
  return o;
}

// Windows with standard-normal inputs (N, L, 1) and targets = last input + offset (H = 1).
forecast::Windows offset_windows(int64_t n, int64_t lookback, float offset, uint64_t seed) {
  Generator gen(seed);
  forecast::Windows w;
  w.inputs = Tensor::randn(Shape{n, lookback, 1}, gen);
  w.targets = Tensor::empty(Shape{n, 1});
  for (int64_t i = 0; i < n; ++i)
    w.targets.mutable_data()[i] = w.inputs.data()[i * lookback + lookback - 1] + offset;
  return w;
}

}  // namespace

TEST_CASE("trainer: a linear model learns a daily cycle far better than the naive forecast") {
  auto data = forecast::ForecastData::prepare(sine_series(1200), forecast::Protocol::clean(),
                                              forecast::ScalerKind::standard, {48, 12});
  nn::LinearForecaster model(linear_config(48, 12));
  TrainerOptions o = quiet(30);
  o.lr = 3e-3;
  const TrainResult r = Trainer(model, o).fit(data.train, &*data.val);
  REQUIRE(r.history.size() >= 10);
  CHECK(r.history.back().train_loss < 0.05 * r.history.front().train_loss);

  // The naive forecast repeats the last value: every horizon step gets input[:, L-1, 0].
  const int64_t n = data.test.count();
  Tensor naive = Tensor::empty(Shape{n, 12});
  for (int64_t i = 0; i < n; ++i)
    for (int64_t h = 0; h < 12; ++h) naive.mutable_data()[i * 12 + h] = data.test.inputs.data()[i * 48 + 47];
  model.eval();
  const auto learned = data.score(model.forward(data.test.inputs), data.test);
  const auto baseline = data.score(naive, data.test);
  MESSAGE("test MAE learned " << learned.mae << " naive " << baseline.mae);
  CHECK(learned.mae < 0.2 * baseline.mae);
  CHECK(learned.mase < 0.2 * baseline.mase);
}

TEST_CASE("trainer: one step per batch, the last batch smaller and not dropped") {
  const forecast::Windows train = offset_windows(70, 4, 1.f, 1);
  nn::LinearForecaster model(linear_config(4, 1));
  Recorder rec;
  TrainerOptions o = quiet(3);
  o.batch_size = 32;
  o.callbacks = {&rec};
  const TrainResult r = Trainer(model, o).fit(train, nullptr);
  REQUIRE(rec.steps.size() == 9);  // ceil(70 / 32) = 3 per epoch
  CHECK(rec.steps[2].batch == 3);
  CHECK(rec.steps[2].batches == 3);
  CHECK(rec.steps[8].step == 9);
  CHECK(rec.steps[8].epoch == 3);
  CHECK(rec.steps[0].lr == doctest::Approx(1e-3));
  CHECK(r.stop_reason == StopReason::completed);
  CHECK(std::isnan(r.history[0].val_loss));
  CHECK(r.kept_epoch == 3);  // no validation: the last epoch is kept
  CHECK(same_values(model.state_dict(), rec.epochs.back()));
}

TEST_CASE("trainer: early stopping restores the weights of the best validation epoch (clean)") {
  // Training pulls the forecast towards last + 1, the validation targets are last - 1: validation
  // gets worse as training proceeds.
  const forecast::Windows train = offset_windows(256, 4, 1.f, 1), val = offset_windows(64, 4, -1.f, 2);
  nn::LinearForecaster model(linear_config(4, 1, 1, 7));
  Recorder rec;
  TrainerOptions o = quiet(40);
  o.lr = 1e-2;
  o.early_stopping = EarlyStopping::for_protocol(forecast::Protocol::clean(), 3);
  o.callbacks = {&rec};
  const TrainResult r = Trainer(model, o).fit(train, &val);
  CHECK(r.stop_reason == StopReason::early_stopping);
  size_t best = 0;
  for (size_t e = 1; e < r.history.size(); ++e)
    if (r.history[e].val_loss < r.history[best].val_loss) best = e;
  CHECK(r.best_epoch == static_cast<int64_t>(best) + 1);
  CHECK(r.kept_epoch == r.best_epoch);
  CHECK(r.best_val_loss == r.history[best].val_loss);
  CHECK(r.history.size() == best + 1 + 3);  // stopped `patience` epochs after the best
  CHECK(same_values(model.state_dict(), rec.epochs[best]));
  CHECK_FALSE(same_values(model.state_dict(), rec.epochs.back()));
  CHECK(model.parameters()[0].grad().defined() == false);
}

TEST_CASE("trainer: early stopping off runs every epoch and keeps the last one") {
  // The data of the test above, where early stopping fires: with it off, all 40 epochs run.
  const forecast::Windows train = offset_windows(256, 4, 1.f, 1), val = offset_windows(64, 4, -1.f, 2);
  nn::LinearForecaster model(linear_config(4, 1, 1, 7));
  Recorder rec;
  TrainerOptions o = quiet(40);
  o.lr = 1e-2;
  o.early_stopping = EarlyStopping::off();
  o.callbacks = {&rec};
  const TrainResult r = Trainer(model, o).fit(train, &val);
  CHECK(r.stop_reason == StopReason::completed);
  REQUIRE(r.history.size() == 40);
  CHECK(r.kept_epoch == 40);
  CHECK(r.best_epoch < 40);  // validation got worse, and was still reported every epoch
  for (const EpochInfo& e : r.history) CHECK(std::isfinite(e.val_loss));
  CHECK(same_values(model.state_dict(), rec.epochs.back()));
}

TEST_CASE("trainer: protocol paper stops by the study's rule and keeps the last epoch") {
  const forecast::Windows train = offset_windows(256, 4, 1.f, 1), val = offset_windows(64, 4, -1.f, 2);
  nn::LinearForecaster model(linear_config(4, 1, 1, 7));
  Recorder rec;
  TrainerOptions o = quiet(40);
  o.lr = 1e-2;
  o.early_stopping = EarlyStopping::for_protocol(forecast::Protocol::paper());
  CHECK(o.early_stopping.patience == 3);
  CHECK_FALSE(o.early_stopping.restore_best);
  o.callbacks = {&rec};
  const TrainResult r = Trainer(model, o).fit(train, &val);
  CHECK(r.stop_reason == StopReason::early_stopping);
  const size_t e = r.history.size();
  REQUIRE(e >= 4);
  for (size_t i = e - 3; i < e; ++i) CHECK(r.history[i].val_loss >= r.history[i - 1].val_loss);
  CHECK(r.kept_epoch == static_cast<int64_t>(e));
  CHECK(same_values(model.state_dict(), rec.epochs.back()));
}

TEST_CASE("trainer: a NaN loss stops training and keeps the best weights so far") {
  auto data = forecast::ForecastData::prepare(sine_series(600), forecast::Protocol::clean(),
                                              forecast::ScalerKind::standard, {24, 6});
  nn::LinearForecaster model(linear_config(24, 6));
  Recorder rec;
  AtStep poison(4, 2, [](nn::Forecaster& m) { m.parameters()[0].mutable_data()[0] = std::nanf(""); });
  TrainerOptions o = quiet(10);
  o.lr = 3e-3;
  o.callbacks = {&rec, &poison};
  const TrainResult r = Trainer(model, o).fit(data.train, &*data.val);
  CHECK(r.stop_reason == StopReason::nan);
  CHECK(r.history.size() == 3);
  CHECK(r.message.find("epoch 4, batch 3") != std::string::npos);
  size_t best = 0;
  for (size_t e = 1; e < r.history.size(); ++e)
    if (r.history[e].val_loss < r.history[best].val_loss) best = e;
  CHECK(r.kept_epoch == static_cast<int64_t>(best) + 1);
  CHECK(same_values(model.state_dict(), rec.epochs[best]));
  for (const Tensor& p : model.parameters())
    for (float v : p.to_vector()) REQUIRE(std::isfinite(v));
  CHECK(Tape::current().empty());  // the abandoned batch left no graph behind
}

TEST_CASE("trainer: a diverging run (huge learning rate) stops on NaN with finite weights") {
  auto data = forecast::ForecastData::prepare(sine_series(600), forecast::Protocol::clean(),
                                              forecast::ScalerKind::standard, {24, 6});
  nn::LinearForecaster model(linear_config(24, 6));
  const nn::StateDict initial = [&] {
    nn::StateDict s = model.state_dict();
    for (auto& [_, t] : s) t = t.clone();
    return s;
  }();
  TrainerOptions o = quiet(20);
  o.optimizer = OptimizerKind::sgd;
  o.lr = 1e25;
  const TrainResult r = Trainer(model, o).fit(data.train, &*data.val);
  CHECK(r.stop_reason == StopReason::nan);
  CHECK(r.kept_epoch == 0);
  CHECK(same_values(model.state_dict(), initial));
}

TEST_CASE("trainer: the same seed gives bitwise the same run, for 1 and 2 threads") {
  auto data = forecast::ForecastData::prepare(sine_series(500), forecast::Protocol::clean(),
                                              forecast::ScalerKind::standard, {24, 6});
  auto run = [&](uint64_t seed, int threads) {
    const int previous = num_threads();
    set_num_threads(threads);
    GrainOverride grain(7);
    nn::ModelConfig c = linear_config(24, 6, 1, seed);
    c.reg = "dropout";
    c.dropout = 0.3f;
    nn::LinearForecaster model(c);
    TrainerOptions o = quiet(4);
    o.seed = seed;
    o.clip_norm = 0.5;
    const TrainResult r = Trainer(model, o).fit(data.train, &*data.val);
    set_num_threads(previous);
    std::vector<double> losses;
    for (const EpochInfo& e : r.history) losses.insert(losses.end(), {e.train_loss, e.val_loss});
    std::vector<float> params;
    for (const Tensor& p : model.parameters()) {
      const auto v = p.to_vector();
      params.insert(params.end(), v.begin(), v.end());
    }
    return std::make_pair(losses, params);
  };
  const auto a = run(5, 1), b = run(5, 1), c = run(5, 2), d = run(6, 1);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
  CHECK(a.first == c.first);
  CHECK(a.second == c.second);
  CHECK(a.second != d.second);
}

TEST_CASE("trainer: one JSON line per epoch in the log") {
  const forecast::Windows train = offset_windows(100, 4, 1.f, 1), val = offset_windows(30, 4, 1.f, 2);
  nn::LinearForecaster model(linear_config(4, 1));
  std::ostringstream log;
  TrainerOptions o = quiet(3);
  o.log = &log;
  o.lr = 5e-3;
  const TrainResult r = Trainer(model, o).fit(train, &val);
  std::istringstream in(log.str());
  std::string line;
  int64_t count = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    ++count;
    CHECK(j.at("epoch").get<int64_t>() == count);
    CHECK(j.at("train_loss").get<double>() == r.history[static_cast<size_t>(count - 1)].train_loss);
    CHECK(j.at("val_loss").get<double>() == r.history[static_cast<size_t>(count - 1)].val_loss);
    CHECK(j.at("lr").get<double>() == 5e-3);
    CHECK(j.at("seconds").get<double>() >= 0);
    CHECK(j.at("improved").is_boolean());
  }
  CHECK(count == 3);
}

TEST_CASE("trainer: options are checked, windows must fit the model") {
  nn::LinearForecaster model(linear_config(4, 1));
  TrainerOptions o = quiet(0);
  CHECK_THROWS_AS(Trainer(model, o), ValueError);
  o = quiet(1);
  o.batch_size = 0;
  CHECK_THROWS_AS(Trainer(model, o), ValueError);
  o = quiet(1);
  o.early_stopping.patience = 0;
  CHECK_THROWS_AS(Trainer(model, o), ValueError);
  Trainer t(model, quiet(1));
  CHECK_THROWS_WITH_AS(t.fit(offset_windows(10, 5, 0.f, 1), nullptr),
                       doctest::Contains("the model expects (N, 4, 1)"), ShapeError);
  CHECK(loss_from_name("l1") == LossKind::mae);
  CHECK_THROWS_WITH_AS(loss_from_name("huber"), doctest::Contains("expected mse or mae"), ValueError);
  CHECK(optimizer_from_name("adamw") == OptimizerKind::adamw);
  CHECK_THROWS_AS(optimizer_from_name("rmsprop"), ValueError);
}

TEST_CASE("trainer: MAE loss and AdamW/SGD train too") {
  const forecast::Windows train = offset_windows(128, 4, 1.f, 1);
  for (OptimizerKind kind : {OptimizerKind::adamw, OptimizerKind::sgd}) {
    nn::LinearForecaster model(linear_config(4, 1));
    TrainerOptions o = quiet(15);
    o.optimizer = kind;
    o.batch_size = 16;
    o.loss = LossKind::mae;
    o.lr = kind == OptimizerKind::sgd ? 0.05 : 1e-2;
    o.momentum = kind == OptimizerKind::sgd ? 0.9 : 0.0;
    const TrainResult r = Trainer(model, o).fit(train, nullptr);
    CAPTURE(optimizer_name(kind));
    CHECK(r.history.back().train_loss < 0.3 * r.history.front().train_loss);
  }
}

TEST_CASE("trainer: epochs before every callback is settled are never the best, nor stop training") {
  // As in the clean early-stopping case validation gets worse with training, so its best epoch is an
  // early one; a callback still changing the model until epoch 6 (a pruning schedule) moves the
  // search for the best epoch to epoch 6 and after.
  struct SettlesAtEpoch6 : TrainerCallback {
    int64_t epochs_done = 0;
    void on_epoch_end(const EpochInfo&, nn::Forecaster&) override { ++epochs_done; }
    bool settled() const override { return epochs_done >= 5; }
  };
  const forecast::Windows train = offset_windows(256, 4, 1.f, 1), val = offset_windows(64, 4, -1.f, 2);
  nn::LinearForecaster model(linear_config(4, 1, 1, 7));
  Recorder rec;
  SettlesAtEpoch6 settling;
  TrainerOptions o = quiet(40);
  o.lr = 1e-2;
  o.early_stopping = EarlyStopping::for_protocol(forecast::Protocol::clean(), 3);
  o.callbacks = {&settling, &rec};
  const TrainResult r = Trainer(model, o).fit(train, &val);
  CHECK(r.stop_reason == StopReason::early_stopping);
  CHECK(r.best_epoch >= 6);
  CHECK(r.kept_epoch == r.best_epoch);
  CHECK(r.history.size() == static_cast<size_t>(r.best_epoch) + 3);
  for (int64_t e = 0; e < 5; ++e) CHECK_FALSE(r.history[e].improved);
  CHECK(same_values(model.state_dict(), rec.epochs[static_cast<size_t>(r.best_epoch) - 1]));
}
