// syn::Model, the public API (synapse/synapse.hpp): loading, raw-unit prediction with the scaler
// inside, metadata, errors, and concurrent predict calls (Note [Model thread safety]).
#include <doctest/doctest.h>

#include <filesystem>
#include <thread>

#include "synapse/core/buffer_cache.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/random.hpp"
#include "synapse/interop/torch_state.hpp"
#include "synapse/synapse.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/model_factory.hpp"

using namespace syn;

namespace {

// The torch-pruned LSTM fixture (tools/fixtures/make_safetensors_fixtures.py) as a checkpoint with a
// fitted standard scaler of two columns, y and x.
std::string pruned_lstm_checkpoint() {
  nn::ModelConfig c;
  c.kind = "lstm";
  c.input_size = 2;
  c.lookback = 12;
  c.horizon = 3;
  c.hidden_size = 8;
  const auto model = train::make_forecaster(c);
  interop::load_safetensors(*model, std::string(SYN_FIXTURE_DIR) + "/safetensors/lstm_pruned.safetensors");
  train::DataSettings d;
  d.target = "y";
  d.features = {"x"};
  d.scaler = {forecast::ScalerKind::standard, {100.0, -2.0}, {20.0, 0.5}};
  const std::string path = (std::filesystem::temp_directory_path() / "syn_api_pruned_lstm.syn").string();
  train::save_checkpoint(path, train::make_checkpoint(*model, d));
  return path;
}

std::vector<double> raw_windows(int64_t count, uint64_t seed) {
  Generator gen(seed);
  std::vector<double> v(static_cast<size_t>(count * 12 * 2));
  for (size_t i = 0; i < v.size(); ++i) v[i] = i % 2 ? -2.0 + 0.5 * gen.normal() : 100.0 + 20.0 * gen.normal();
  return v;
}

}  // namespace

TEST_CASE("api: a loaded model reports its metadata and the version") {
  const Model m = Model::load(pruned_lstm_checkpoint());
  CHECK(m.kind() == "lstm");
  CHECK(m.lookback() == 12);
  CHECK(m.horizon() == 3);
  CHECK(m.feature_names() == std::vector<std::string>{"y", "x"});
  CHECK(m.num_features() == 2);
  CHECK(m.scaler().kind == "standard");
  CHECK(m.scaler().offset == std::vector<double>{100.0, -2.0});
  // 0.6 of the four recurrent matrices (32·2 + 3·32·8 = 832 entries) and 0.5 of the head (24).
  CHECK(m.sparsity() == doctest::Approx((0.6 * 832 + 0.5 * 24) / 856).epsilon(1e-3));
  CHECK(std::string(version()) == SYN_VERSION_STRING);
  CHECK(SYN_VERSION == SYN_VERSION_MAJOR * 10000 + SYN_VERSION_MINOR * 100 + SYN_VERSION_PATCH);
}

TEST_CASE("api: predict scales raw values in and forecasts in original units") {
  const std::string path = pruned_lstm_checkpoint();
  const Model m = Model::load(path);
  const std::vector<double> window = raw_windows(1, 3);
  const std::vector<double> forecast = m.predict(window);
  REQUIRE(forecast.size() == 3);

  const train::Checkpoint c = train::load_checkpoint(path);
  const auto network = train::restore_model(c, path);
  network->eval();
  std::vector<float> scaled(window.size());
  for (size_t i = 0; i < window.size(); ++i)
    scaled[i] = static_cast<float>((window[i] - c.data.scaler.offset[i % 2]) / c.data.scaler.scale[i % 2]);
  NoGradGuard no_grad;
  const Tensor y = network->forward(Tensor::from(scaled, Shape{1, 12, 2}));
  for (int h = 0; h < 3; ++h) CHECK(forecast[static_cast<size_t>(h)] == y.data()[h] * 20.0 + 100.0);

  const std::vector<double> batch = raw_windows(5, 4);
  const std::vector<double> all = m.predict_batch(batch);
  REQUIRE(all.size() == 15);
  const std::vector<double> third = m.predict(std::span<const double>(batch).subspan(2 * 24, 24));
  // A batch of one runs other kernels (Note [Sparse plans]): the same forecast up to rounding.
  for (size_t h = 0; h < 3; ++h) CHECK(all[6 + h] == doctest::Approx(third[h]).epsilon(1e-6));
}

TEST_CASE("api: wrong input gives typed errors") {
  const Model m = Model::load(pruned_lstm_checkpoint());
  std::vector<double> window = raw_windows(1, 5);
  CHECK_THROWS_AS(m.predict(std::span<const double>(window).first(23)), ShapeError);
  CHECK_THROWS_AS(m.predict_batch(std::span<const double>(window).first(30)), ShapeError);
  window[7] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(m.predict(window), "predict: window 0, row 3, column 'x' is not a finite number", ValueError);
  CHECK_THROWS_AS(Model::load("no/such/model.syn"), ValueError);
}

TEST_CASE("api: 8 threads predicting with one model get the single-threaded results") {
  const Model m = Model::load(pruned_lstm_checkpoint());
  constexpr int kThreads = 8, kCalls = 25;
  std::vector<std::vector<double>> inputs, expected;
  for (int t = 0; t < kThreads; ++t) {
    inputs.push_back(raw_windows(1 + t % 3, 100 + static_cast<uint64_t>(t)));
    expected.push_back(m.predict_batch(inputs.back()));
  }
  std::vector<int> matches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < kCalls; ++k) matches[static_cast<size_t>(t)] += m.predict_batch(inputs[static_cast<size_t>(t)]) == expected[static_cast<size_t>(t)];
    });
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) CHECK(matches[static_cast<size_t>(t)] == kCalls);
}

TEST_CASE("api: release_cached_memory empties the thread's buffer cache and predictions stay the same") {
  const Model m = Model::load(pruned_lstm_checkpoint());
  const std::vector<double> windows = raw_windows(2000, 8);  // inputs of 192 KB: cached blocks
  const std::vector<double> before = m.predict_batch(windows);
  REQUIRE(buffer_cache_stats().cached_bytes > 0);
  release_cached_memory();
  CHECK(buffer_cache_stats().cached_bytes == 0);
  CHECK(m.predict_batch(windows) == before);
}
