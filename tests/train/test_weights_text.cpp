#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "support/temp_dir.hpp"
#include "synapse/core/error.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"
#include "synapse/train/weights_text.hpp"

using namespace syn;
using namespace syn::train;
namespace fs = std::filesystem;

using syn::testing::TempDir;

namespace {

nn::ModelConfig lstm_config(uint64_t seed, int64_t hidden = 4) {
  nn::ModelConfig c;
  c.kind = "lstm";
  c.input_size = 2;
  c.lookback = 6;
  c.horizon = 3;
  c.hidden_size = hidden;
  c.num_layers = 2;
  c.seed = seed;
  return c;
}

// Expects f() to throw E with every one of `parts` in its message.
template <class E, class F>
void check_error(F f, const std::vector<std::string>& parts) {
  try {
    f();
    FAIL("no error");
  } catch (const E& e) {
    for (const std::string& p : parts)
      CHECK_MESSAGE(std::string(e.what()).find(p) != std::string::npos, "'" << p << "' not in: " << e.what());
  }
}

bool bitwise_equal(const Tensor& a, const Tensor& b) {
  if (a.shape() != b.shape()) return false;
  for (int64_t i = 0; i < a.numel(); ++i)
    if (std::memcmp(a.data() + i, b.data() + i, sizeof(float)) != 0) return false;
  return true;
}

}  // namespace

TEST_CASE("weights text: a written state dict loads back bit for bit into another model") {
  TempDir dir("weights_round_trip");
  nn::RecurrentForecaster source(lstm_config(1)), target(lstm_config(2));
  const fs::path file = dir.path / "w.txt";
  write_weights_text(file, source.state_dict());
  REQUIRE_FALSE(bitwise_equal(source.head().weight(), target.head().weight()));
  load_weights_text(target, file);
  const nn::StateDict a = source.state_dict(), b = target.state_dict();
  REQUIRE(a.size() == b.size());
  REQUIRE(a.size() == 10);  // 4 tensors per LSTM layer, head weight and bias
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].first == b[i].first);
    CHECK_MESSAGE(bitwise_equal(a[i].second, b[i].second), a[i].first);
  }
  // Same forecasts from the same weights.
  const Tensor x = Tensor::from(std::vector<float>(2 * 6 * 2, 0.25f), Shape{2, 6, 2});
  source.eval();
  target.eval();
  CHECK(bitwise_equal(source.forward(x), target.forward(x)));
}

TEST_CASE("weights text: reads the fixture files PyTorch writes (tools/fixtures/fixture_io.py)") {
  // forecaster_lstm.txt holds an LSTMF's weights (torch names) beside inputs, outputs and gradients.
  const nn::NamedTensors all =
      read_weights_text(fs::path(SYN_FIXTURE_DIR) / "recurrent" / "forecaster_lstm.txt");
  nn::NamedTensors weights;
  for (const auto& [name, t] : all)
    if (name.rfind("rnn.", 0) == 0 || name.rfind("head.", 0) == 0) weights.emplace_back(name, t);
  REQUIRE(weights.size() == 10);
  CHECK(weights.front().first == "rnn.weight_ih_l0");
  CHECK(weights.front().second.shape() == Shape{16, 2});
  CHECK(weights.back().first == "head.bias");
  nn::RecurrentForecaster model(lstm_config(0));
  model.load_state_dict(weights);
  CHECK(bitwise_equal(model.head().bias(), weights.back().second));
}

TEST_CASE("weights text: format details (comments, values over lines, scalars, nan)") {
  const nn::NamedTensors t = parse_weights_text(
      "# c\n\ntensor a 2 2 3\n1 2\n3 4 5\n  6\ntensor s 0\n-2.5e-3\ntensor e 1 0\ntensor n 1 3\nnan -inf "
      "+1\n",
      "<t>");
  REQUIRE(t.size() == 4);
  CHECK(t[0].first == "a");
  CHECK(t[0].second.shape() == Shape{2, 3});
  CHECK(t[0].second.data()[5] == 6.f);
  CHECK(t[1].second.rank() == 0);
  CHECK(t[1].second.data()[0] == -2.5e-3f);
  CHECK(t[2].second.numel() == 0);
  CHECK(std::isnan(t[3].second.data()[0]));
  CHECK(t[3].second.data()[1] == -std::numeric_limits<float>::infinity());
  CHECK(t[3].second.data()[2] == 1.f);
}

TEST_CASE("weights text: malformed files name the source and line") {
  const auto bad = [](const std::string& text, const std::vector<std::string>& parts) {
    INFO(text);
    check_error<ValueError>([&] { parse_weights_text(text, "w.txt"); }, parts);
  };
  bad("tensor a 2 2\n1 2\n", {"w.txt:1", "malformed tensor header"});
  bad("tensor a x\n", {"w.txt:1", "malformed tensor header"});
  bad("tensor a 1 -2\n", {"w.txt:1", "dimension 0", "'-2'"});
  bad("tensor a 1 3\n1 2\n", {"w.txt:1", "tensor 'a'", "needs 3 values", "has 2"});
  bad("tensor a 1 1\n1 2\n", {"needs 1 values", "has 2"});
  bad("tensor a 1 2\n1 zwei\n", {"w.txt:2", "'zwei'", "not a number"});
  bad("tensor a 1 1\n1e99\n", {"w.txt:2", "'1e99'"});  // out of float range
  bad("1 2 3\n", {"w.txt:1", "before any 'tensor' header"});
  bad("tensor a 1 1\n1\ntensor a 1 1\n2\n", {"w.txt:3", "'a' appears twice"});
}

TEST_CASE("weights text: a file that does not fit the model names the file and the tensor") {
  TempDir dir("weights_errors");
  nn::RecurrentForecaster model(lstm_config(1));
  const nn::StateDict before = [&] {
    nn::StateDict s = model.state_dict();
    for (auto& [_, t] : s) t = t.clone();
    return s;
  }();
  nn::StateDict state = model.state_dict();

  SUBCASE("a missing tensor") {
    nn::StateDict fewer(state.begin(), state.end() - 1);
    write_weights_text(dir.path / "fewer.txt", fewer);
    check_error<ValueError>([&] { load_weights_text(model, dir.path / "fewer.txt"); },
                            {"fewer.txt", "missing keys", "head.bias"});
  }
  SUBCASE("an unexpected tensor") {
    nn::StateDict more = state;
    more.emplace_back("head.extra", Tensor::from({1.f}, Shape{1}));
    write_weights_text(dir.path / "more.txt", more);
    check_error<ValueError>([&] { load_weights_text(model, dir.path / "more.txt"); },
                            {"more.txt", "unexpected keys", "head.extra"});
  }
  SUBCASE("a wrong shape (another hidden size)") {
    nn::RecurrentForecaster wider(lstm_config(1, 5));
    write_weights_text(dir.path / "wide.txt", wider.state_dict());
    check_error<ShapeError>([&] { load_weights_text(model, dir.path / "wide.txt"); },
                            {"wide.txt", "rnn.weight_ih_l0", "(20, 2)"});
  }
  SUBCASE("no such file") {
    check_error<ValueError>([&] { load_weights_text(model, dir.path / "absent.txt"); },
                            {"absent.txt", "cannot be opened"});
  }
  SUBCASE("a malformed file") {
    const fs::path f = dir.write("broken.txt", "tensor rnn.weight_ih_l0 2 16 2\n0.5 oops\n");
    check_error<ValueError>([&] { load_weights_text(model, f); }, {"broken.txt:2", "'oops'"});
  }
  // A refused file leaves the model as it was.
  const nn::StateDict after = model.state_dict();
  for (size_t i = 0; i < after.size(); ++i) CHECK(bitwise_equal(after[i].second, before[i].second));
}
