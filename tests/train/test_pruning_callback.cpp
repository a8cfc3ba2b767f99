#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/ops/sparse_plan.hpp"
#include "synapse/pruning/granularity.hpp"
#include "synapse/pruning/paper_preset.hpp"
#include "synapse/train/model_factory.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/trainer.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;
using syn::testing::sine_series;

namespace {

nn::ModelConfig small_lstm() {
  nn::ModelConfig c;
  c.kind = "lstm";
  c.lookback = 12;
  c.horizon = 2;
  c.hidden_size = 8;
  c.num_layers = 1;
  c.seed = 5;
  return c;
}

forecast::ForecastData sine_data() {
  return forecast::ForecastData::prepare(sine_series(300), forecast::Protocol::clean(),
                                         forecast::ScalerKind::standard, {12, 2});
}

TrainerOptions fixed_run(int64_t epochs, PruningCallback& cb) {
  TrainerOptions o;
  o.epochs = epochs;
  o.batch_size = 32;
  o.progress = ProgressMode::never;
  o.early_stopping = EarlyStopping::off();
  o.callbacks = {&cb};
  return o;
}

pruning::Schedule zhu_gupta(double s_f, int64_t end_epoch, int64_t every) {
  pruning::Schedule s;
  s.kind = pruning::ScheduleKind::zhu_gupta;
  s.initial_sparsity = 0.0;
  s.final_sparsity = s_f;
  s.begin = {1, pruning::TimeUnit::epochs};
  s.end = {end_epoch, pruning::TimeUnit::epochs};
  s.frequency = every;
  return s;
}

}  // namespace

TEST_CASE("pruning callback: a small LSTM reaches the target sparsity, its log lines parse and record each update") {
  const forecast::ForecastData data = sine_data();
  auto model = make_forecaster(small_lstm());
  std::ostringstream log;
  PruningCallback cb(pruning::Pruner(*model, {}), zhu_gupta(0.8, 4, 2), {&log, {}});
  const TrainResult r = Trainer(*model, fixed_run(5, cb)).fit(data.train, &*data.val);
  REQUIRE(r.history.size() == 5);
  CHECK(std::isfinite(r.history.back().train_loss));

  const int64_t size = cb.pruner().report().size;
  CHECK(std::fabs(cb.pruner().sparsity() - 0.8) <= 1.0 / static_cast<double>(size));
  REQUIRE(cb.last_report());
  CHECK(cb.last_report()->target == doctest::Approx(0.8));
  CHECK(cb.last_report()->achieved == cb.pruner().sparsity());
  // Every dead weight of the trained model is exactly 0.
  for (const auto& [name, w] : cb.pruner().tensors()) {
    CAPTURE(name);
    REQUIRE(w.mask());
    for (int64_t i = 0; i < w.numel(); ++i)
      if (!w.mask()->live(i)) CHECK(w.data()[i] == 0.0f);
  }

  std::istringstream lines(log.str());
  std::string line;
  std::vector<nlohmann::json> parsed;
  while (std::getline(lines, line)) parsed.push_back(nlohmann::json::parse(line));
  REQUIRE(static_cast<int64_t>(parsed.size()) == cb.updates());
  const int64_t batches = (data.train.count() + 31) / 32;
  CHECK(parsed.front()["step"] == batches);  // the first update is at begin: after epoch 1
  CHECK(parsed.front()["epoch"] == 1);
  CHECK(parsed.back()["step"] == 4 * batches);  // the last at end
  double previous = 0;
  for (const nlohmann::json& j : parsed) {
    CHECK(j["achieved"].get<double>() >= previous);
    previous = j["achieved"].get<double>();
    CHECK(std::fabs(j["achieved"].get<double>() - j["target"].get<double>()) <= 1.0 / static_cast<double>(size));
    REQUIRE(j["tensors"].size() == 3);
    const nlohmann::json& hh = j["tensors"][1];
    CHECK(hh["name"] == "rnn.weight_hh_l0");
    REQUIRE(hh["gates"].size() == 4);
    CHECK(hh["gates"][2]["name"] == "g");
    int64_t live = 0;
    for (const auto& g : hh["gates"]) live += g["live"].get<int64_t>();
    CHECK(live == hh["live"].get<int64_t>());
    CHECK((hh["plan"] == "dense" || hh["plan"] == "sparse"));
    CHECK(!j["tensors"][2].contains("gates"));  // head.weight
  }
  CHECK(parsed.back()["target"].get<double>() == doctest::Approx(0.8));
}

TEST_CASE("pruning callback: the paper_ramp LSTM preset caps targets >= 1 at 0.99 and warns once, naming the value") {
  const forecast::ForecastData data = sine_data();
  auto model = make_forecaster(small_lstm());
  // 0.7 -> 1.2 with no warm-up and a ramp of 2 epochs: the 0-based epochs 0, 1, 2 ask for 0.7, 0.7625
  // and 1.2 (p clipped at 1).
  pruning::Schedule s = pruning::preset_schedule(pruning::ScheduleKind::paper_ramp, "lstm", 2);
  s.begin = {0, pruning::TimeUnit::epochs};
  std::vector<std::string> warnings;
  PruningCallback cb(pruning::Pruner(*model, {}), s,
                     {nullptr, [&](const std::string& w) { warnings.push_back(w); }});
  Trainer(*model, fixed_run(3, cb)).fit(data.train, &*data.val);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("asks for sparsity 1.2") != std::string::npos);
  CHECK(warnings[0].find("paper_ramp 0.7 -> 1.2") != std::string::npos);
  CHECK(warnings[0].find("capped at 0.99") != std::string::npos);
  const int64_t size = cb.pruner().report().size;
  CHECK(std::fabs(cb.pruner().sparsity() - 0.99) <= 1.0 / static_cast<double>(size));
}

TEST_CASE("pruning callback: the grad-magnitude score reads the gradients of the step just taken") {
  const forecast::ForecastData data = sine_data();
  auto model = make_forecaster(small_lstm());
  pruning::PrunerOptions o;
  o.score = pruning::ScoreKind::grad_magnitude;
  o.scope = pruning::Scope::per_tensor;
  pruning::Schedule s = zhu_gupta(0.5, 2, 3);
  s.kind = pruning::ScheduleKind::constant;
  PruningCallback cb(pruning::Pruner(*model, o), s);
  Trainer(*model, fixed_run(2, cb)).fit(data.train, &*data.val);
  CHECK(cb.updates() > 0);
  for (const pruning::TensorReport& t : cb.last_report()->tensors)
    CHECK(std::fabs(t.sparsity - 0.5) <= 1.0 / static_cast<double>(t.size));
}

TEST_CASE("pruning callback: each tensor of a log line names the kernel plan it runs after the update") {
  const forecast::ForecastData data = sine_data();
  auto model = make_forecaster(small_lstm());
  std::ostringstream log;
  PruningCallback cb(pruning::Pruner(*model, {}), zhu_gupta(0.8, 2, 100), {&log, {}});
  Trainer(*model, fixed_run(2, cb)).fit(data.train, &*data.val);
  std::istringstream lines(log.str());
  std::vector<nlohmann::json> updates;
  for (std::string line; std::getline(lines, line);) updates.push_back(nlohmann::json::parse(line));
  REQUIRE(updates.size() >= 2);
  // The first update prunes little (every weight stays dense); after the last one (0.8 overall)
  // each tensor names the plan sparse_plan_for gives it now.
  for (const auto& t : updates.front()["tensors"]) CHECK(t["plan"] == "dense");
  int sparse = 0;
  for (const auto& t : updates.back()["tensors"]) {
    for (const auto& [name, w] : cb.pruner().tensors())
      if (name == t["name"]) CHECK(t["plan"] == sparse_plan_name(sparse_plan_for(w, kReportBatch)));
    sparse += t["plan"] == "sparse";
  }
  CHECK(sparse > 0);  // global pruning to 0.8 leaves the largest tensors past the crossover
}

TEST_CASE("pruning callback: block pruning reports the block plan for the tensors past its crossover") {
  const forecast::ForecastData data = sine_data();
  auto model = make_forecaster(small_lstm());
  pruning::PrunerOptions o;
  o.granularity = pruning::Granularity::parse("block:4x4");
  o.scope = pruning::Scope::per_tensor;
  std::ostringstream log;
  PruningCallback cb(pruning::Pruner(*model, o), zhu_gupta(0.9, 2, 100), {&log, {}});
  Trainer(*model, fixed_run(2, cb)).fit(data.train, &*data.val);
  std::istringstream lines(log.str());
  std::string line, last;
  while (std::getline(lines, line)) last = line;
  const nlohmann::json update = nlohmann::json::parse(last);
  int block = 0;
  for (const auto& t : update["tensors"]) {
    for (const auto& [name, w] : cb.pruner().tensors())
      if (name == t["name"]) CHECK(t["plan"] == sparse_plan_name(sparse_plan_for(w, kReportBatch)));
    block += t["plan"] == "block";
  }
  CHECK(block > 0);  // 4×4 blocks past 70 % sparsity
}

TEST_CASE("pruning callback: an invalid schedule throws ValueError") {
  auto model = make_forecaster(small_lstm());
  pruning::Schedule s = zhu_gupta(0.5, 2, 0);
  CHECK_THROWS_WITH_AS(PruningCallback(pruning::Pruner(*model, {}), s), doctest::Contains("frequency"), ValueError);
}

TEST_CASE("pruning callback: each log line holds |w| histograms before and after the update, on the same bins") {
  const forecast::ForecastData data = sine_data();
  auto model = make_forecaster(small_lstm());
  std::ostringstream log;
  PruningCallback cb(pruning::Pruner(*model, {}), zhu_gupta(0.8, 2, 100), {&log, {}});
  Trainer(*model, fixed_run(2, cb)).fit(data.train, &*data.val);
  std::istringstream lines(log.str());
  int64_t previous_live = cb.pruner().report().size;
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json j = nlohmann::json::parse(line);
    const auto& m = j["magnitudes"];
    REQUIRE(m["edges"].size() == static_cast<size_t>(kMagnitudeBins + 1));
    for (size_t i = 1; i < m["edges"].size(); ++i) CHECK(m["edges"][i].get<double>() >= m["edges"][i - 1].get<double>());
    int64_t before = m["zeros_before"].get<int64_t>(), after = m["zeros_after"].get<int64_t>();
    for (size_t i = 0; i < m["before"].size(); ++i) {
      before += m["before"][i].get<int64_t>();
      after += m["after"][i].get<int64_t>();
      CHECK(m["after"][i].get<int64_t>() <= m["before"][i].get<int64_t>());  // masks only lose entries
    }
    int64_t live = 0;
    for (const auto& t : j["tensors"]) live += t["live"].get<int64_t>();
    CHECK(before == previous_live);  // every live entry before the update is counted once
    CHECK(after == live);
    previous_live = live;
  }
  // Magnitude pruning empties the smallest bins first: after the last update the lowest bin is empty.
  const nlohmann::json last = nlohmann::json::parse(log.str().substr(log.str().rfind('\n', log.str().size() - 2) + 1));
  CHECK(last["magnitudes"]["after"][0] == 0);
}
