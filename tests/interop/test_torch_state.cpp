// PyTorch state dicts in safetensors files (tools/fixtures/make_safetensors_fixtures.py): every module
// kind imports under torch's names and reproduces torch's output; masks in both of torch's forms; export
// writes back exactly torch's tensors.
#include <doctest/doctest.h>

#include <functional>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/interop/torch_state.hpp"
#include "synapse/nn/batch_norm1d.hpp"
#include "synapse/nn/gru.hpp"
#include "synapse/nn/layer_norm_module.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/lstm.hpp"
#include "synapse/nn/multi_head_attention.hpp"
#include "synapse/nn/rnn.hpp"
#include "synapse/nn/transformer_encoder_layer.hpp"
#include "synapse/train/model_factory.hpp"
#include "support/fixture.hpp"

using namespace syn;
using namespace syn::nn;
using syn::interop::SafetensorsFile;

namespace {

constexpr double kRtol = 1e-5, kAtol = 1e-6;  // float32 vs torch's float64 reference, as tests/nn

std::string fixture_path(const std::string& name) {
  return std::string(SYN_FIXTURE_DIR) + "/safetensors/" + name + ".safetensors";
}

Tensor io_tensor(const std::string& fixture, const std::string& name) {
  const SafetensorsFile io = interop::read_safetensors(fixture_path(fixture + "_io"));
  const interop::SafetensorsTensor* t = io.find(name);
  REQUIRE(t != nullptr);
  return Tensor::from(interop::f32_values(*t), Shape(t->shape));
}

// Imports fixture `name` into `module` and compares forward(x) with torch's output.
void check_import(const std::string& name, Module& module, const std::function<Tensor(const Tensor&)>& forward) {
  interop::load_safetensors(module, fixture_path(name));
  module.eval();
  NoGradGuard no_grad;
  testing::check_close(name + " imported from torch", forward(io_tensor(name, "x")), io_tensor(name, "out"), kRtol,
                       kAtol);
}

RecurrentOptions stack(int64_t input) { return {.input_size = input, .hidden_size = 6, .num_layers = 2}; }

std::shared_ptr<Forecaster> forecaster(const std::string& kind, int64_t lookback = 12) {
  ModelConfig c;
  c.kind = kind;
  c.input_size = 2;
  c.lookback = lookback;
  c.horizon = 3;
  c.hidden_size = 8;
  c.num_layers = 2;
  return train::make_forecaster(c);
}

}  // namespace

TEST_CASE("interop: torch modules import from safetensors and match torch's output") {
  Generator gen(1);
  Linear linear(5, 3, gen);
  check_import("linear", linear, [&](const Tensor& x) { return linear.forward(x); });
  RNN rnn(stack(3), gen);
  check_import("rnn", rnn, [&](const Tensor& x) { return rnn.forward(x).output; });
  LSTM lstm(stack(3), gen);
  check_import("lstm", lstm, [&](const Tensor& x) { return lstm.forward(x).output; });
  GRU gru(stack(3), gen);
  check_import("gru", gru, [&](const Tensor& x) { return gru.forward(x).output; });
  MultiHeadAttention mha(8, 2, gen);
  check_import("mha", mha, [&](const Tensor& x) { return mha.forward(x); });
  LayerNorm norm(Shape{8});
  check_import("layer_norm", norm, [&](const Tensor& x) { return norm.forward(x); });
  BatchNorm1d batch_norm(4);
  check_import("batch_norm1d", batch_norm, [&](const Tensor& x) { return batch_norm.forward(x); });
  CHECK(batch_norm.state_dict().back().second.item() == 7.f);  // num_batches_tracked, I64 in the file
  TransformerEncoderLayer layer({.d_model = 8, .n_heads = 2, .d_ff = 16, .dropout = 0.f}, gen);
  check_import("encoder_layer", layer, [&](const Tensor& x) { return layer.forward(x); });
}

TEST_CASE("interop: the rnn, lstm, gru and paper-patchtst model kinds import from torch and match its forecasts") {
  for (const std::string kind : {"rnn", "lstm", "gru"}) {
    const auto model = forecaster(kind);
    check_import("forecaster_" + kind, *model, [&](const Tensor& x) { return model->forward(x); });
  }
  // The study's transformer at lookback 13: patches of 2 steps, the last one padded by repetition.
  const auto paper = forecaster("paper-patchtst", 13);
  check_import("forecaster_paper_patchtst", *paper, [&](const Tensor& x) { return paper->forward(x); });
}

TEST_CASE("interop: a torch-pruned LSTM (weight_orig and weight_mask) imports with masks and predicts as torch") {
  const auto model = forecaster("lstm");
  check_import("lstm_pruned", *model, [&](const Tensor& x) { return model->forward(x); });
  const SafetensorsFile torch_file = interop::read_safetensors(fixture_path("lstm_pruned"));
  int masked = 0;
  for (const auto& [name, t] : model->state_dict()) {
    const interop::SafetensorsTensor* mask = torch_file.find(name + "_mask");
    CHECK((mask != nullptr) == (t.mask() != nullptr));
    if (!mask) continue;
    ++masked;
    const std::vector<float> live = interop::f32_values(*mask);
    for (int64_t i = 0; i < t.numel(); ++i) {
      CHECK(t.mask()->live(i) == (live[static_cast<size_t>(i)] == 1.f));
      if (!t.mask()->live(i)) CHECK(t.data()[i] == 0.f);
    }
  }
  CHECK(masked == 5);

  // Back: the export names every tensor as torch's unpruned module does, each mask as W_mask, and
  // importing the export gives the same forecasts.
  const SafetensorsFile exported = interop::to_safetensors(model->state_dict());
  for (const auto& t : exported.tensors) {
    const bool is_mask = t.name.ends_with("_mask");
    const std::string base = is_mask ? t.name.substr(0, t.name.size() - 5) : t.name;
    CHECK_MESSAGE((torch_file.find(base) || torch_file.find(base + "_orig")), t.name);
    if (is_mask) CHECK(interop::f32_values(t) == interop::f32_values(*torch_file.find(t.name)));
  }
  CHECK(exported.tensors.size() == torch_file.tensors.size());
  const auto again = forecaster("lstm");
  again->load_state_dict(interop::state_dict_from_safetensors(
      *again, interop::parse_safetensors(interop::serialize_safetensors(exported), "exported"), "exported"));
  again->eval();
  model->eval();
  NoGradGuard no_grad;
  const Tensor x = io_tensor("lstm_pruned", "x");
  CHECK(again->forward(x).to_vector() == model->forward(x).to_vector());
}

TEST_CASE("interop: every model kind survives export and import bit for bit") {
  for (const std::string& kind : train::available_model_kinds()) {
    ModelConfig c;
    c.kind = kind;
    c.input_size = 2;
    c.lookback = 16;
    c.horizon = 3;
    c.hidden_size = 8;
    c.d_model = 16;
    c.n_heads = 2;
    c.n_layers = 1;
    c.d_ff = 16;
    c.patch_len = 4;
    c.stride = 4;
    const auto model = train::make_forecaster(c);
    const auto copy = train::make_forecaster(c);
    copy->load_state_dict(interop::state_dict_from_safetensors(
        *copy, interop::parse_safetensors(interop::serialize_safetensors(interop::to_safetensors(model->state_dict())), kind),
        kind));
    for (size_t i = 0; i < model->state_dict().size(); ++i)
      CHECK_MESSAGE(copy->state_dict()[i].second.to_vector() == model->state_dict()[i].second.to_vector(),
                    kind, " ", model->state_dict()[i].first);
  }
}

TEST_CASE("interop: a file that does not fit the model is refused, naming the tensor") {
  const auto model = forecaster("lstm");
  const SafetensorsFile good = interop::read_safetensors(fixture_path("forecaster_lstm"));
  const auto refused = [&](SafetensorsFile file) {
    try {
      interop::state_dict_from_safetensors(*model, file, "f.safetensors");
    } catch (const syn::Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  SafetensorsFile missing = good;
  missing.tensors.erase(missing.tensors.begin() + 1);
  CHECK(refused(missing).find("'" + good.tensors[1].name + "' is missing") != std::string::npos);
  SafetensorsFile extra = good;
  extra.tensors.push_back(extra.tensors[0]);
  extra.tensors.back().name = "rnn.weight_ih_l7";
  CHECK(refused(extra).find("'rnn.weight_ih_l7' is unexpected") != std::string::npos);
  SafetensorsFile shape = good;
  shape.tensors[0].shape = {static_cast<int64_t>(shape.tensors[0].data.size() / 4)};
  CHECK(refused(shape).find("'" + good.tensors[0].name + "' has shape") != std::string::npos);
  CHECK_THROWS_AS(interop::state_dict_from_safetensors(*model, shape, "f"), syn::ShapeError);
  SafetensorsFile dtype = good;
  dtype.tensors[0].dtype = "I32";
  CHECK(refused(dtype).find("'" + good.tensors[0].name + "' has dtype I32, expected F32") != std::string::npos);
  SafetensorsFile bad_mask = good;
  bad_mask.tensors.push_back(good.tensors[0]);
  bad_mask.tensors.back().name = good.tensors[0].name + "_mask";
  CHECK(refused(bad_mask).find("mask '" + good.tensors[0].name + "_mask' holds") != std::string::npos);
}
