// Transformer modules against PyTorch: torch's parameters are loaded with load_state_dict, then the
// forward output, every parameter and input gradient of sum(out * seed), and BatchNorm's running
// statistics are compared with the fixtures of tools/fixtures/make_transformer_fixtures.py (whose
// torch models mirror the modules built here; torch ran in float64 on the float32 values).
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/fixture.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/nn/multi_head_attention.hpp"
#include "synapse/nn/paper_patch_transformer.hpp"
#include "synapse/nn/patchtst.hpp"
#include "synapse/nn/patchtst_forecaster.hpp"
#include "synapse/nn/transformer_encoder_layer.hpp"
#include "synapse/ops/shape_ops.hpp"

using namespace syn;
using namespace syn::nn;
using namespace syn::testing;

namespace {

constexpr double kForwardRtol = 1e-5, kForwardAtol = 1e-6;
constexpr double kGradRtol = 1e-4, kGradAtol = 1e-5;

using Call = std::function<Tensor(const std::vector<Tensor>&)>;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The fixture's `param.*` entries as a state dict, names prefixed with `prefix`.
StateDict torch_state(const Fixture& fx, const std::string& prefix = "") {
  StateDict state;
  for (const auto& [name, t] : fx)
    if (starts_with(name, "param.")) state.emplace_back(prefix + name.substr(6), t);
  return state;
}

// Loads torch's parameters into `m`, runs `call` on the fixture's inputs and compares the output,
// the gradients, the buffers after the pass and (when the fixture has it) the evaluation output.
void check_against_torch(const std::string& name, Module& m, const std::vector<std::string>& inputs,
                         const Call& call) {
  const Fixture fx = load_fixture("transformer/" + name + ".txt");
  m.load_state_dict(torch_state(fx));
  m.train();
  std::vector<Tensor> leaves;
  for (const auto& in : inputs) {
    REQUIRE_MESSAGE(fx.count(in), name << ": fixture has no input " << in);
    leaves.push_back(fx.at(in).clone().set_requires_grad());
  }
  Tensor out = call(leaves);
  check_close(name + " forward", out, fx.at("out"), kForwardRtol, kForwardAtol);
  out.backward(fx.at("seed"));
  int grads = 0;
  for (const auto& [param, t] : m.named_parameters()) {
    REQUIRE_MESSAGE(fx.count("grad." + param), name << ": fixture has no gradient for " << param);
    check_close(name + " d/d" + param, t.grad(), fx.at("grad." + param), kGradRtol, kGradAtol);
    ++grads;
  }
  CHECK(grads > 0);
  for (size_t i = 0; i < inputs.size(); ++i)
    check_close(name + " d/d" + inputs[i], leaves[i].grad(), fx.at("grad_" + inputs[i]), kGradRtol,
                kGradAtol);
  for (const auto& [buffer, t] : m.named_buffers())
    check_close(name + " " + buffer + " after the pass", t, fx.at("after." + buffer), kForwardRtol,
                kForwardAtol);
  if (fx.count("out_eval")) {
    m.eval();
    NoGradGuard no_grad;
    check_close(name + " evaluation forward", call(leaves), fx.at("out_eval"), kForwardRtol, kForwardAtol);
  }
}

TransformerEncoderLayerOptions small_layer(Activation activation, bool norm_first,
                                           NormKind norm = NormKind::layer) {
  return {.d_model = 8,
          .n_heads = 2,
          .d_ff = 16,
          .dropout = 0.f,
          .activation = activation,
          .norm_first = norm_first,
          .norm = norm};
}

// The fixtures' small PatchTST: C=2, L=24, P=4, S=2, d=16, 4 heads, 2 layers, d_ff 32, H=6.
PatchTSTOptions small_patchtst() {
  return {.channels = 2,
          .lookback = 24,
          .horizon = 6,
          .patch_len = 4,
          .stride = 2,
          .d_model = 16,
          .n_heads = 4,
          .n_layers = 2,
          .d_ff = 32};
}

PatchTSTOptions small_patchtst_revin_batchnorm() {
  PatchTSTOptions o = small_patchtst();
  o.activation = Activation::gelu;
  o.norm = NormKind::batch;
  o.revin = true;
  return o;
}

}  // namespace

TEST_CASE("torch parity: MultiheadAttention, self-attention") {
  Generator gen(1);
  MultiHeadAttention mha(8, 2, gen);
  check_against_torch("mha_self", mha, {"x"}, [&](auto& in) { return mha.forward(in[0]); });
}

TEST_CASE("torch parity: MultiheadAttention with a causal mask") {
  Generator gen(2);
  MultiHeadAttention mha(8, 2, gen);
  check_against_torch("mha_causal", mha, {"x"},
                      [&](auto& in) { return mha.forward(in[0], /*causal=*/true); });
}

TEST_CASE("torch parity: MultiheadAttention, cross-attention with T != S") {
  Generator gen(3);
  MultiHeadAttention mha(8, 2, gen);
  check_against_torch("mha_cross", mha, {"query", "key", "value"},
                      [&](auto& in) { return mha.forward(in[0], in[1], in[2]); });
}

TEST_CASE("torch parity: TransformerEncoderLayer, post and pre norm, relu and gelu") {
  for (Activation act : {Activation::relu, Activation::gelu}) {
    for (bool first : {false, true}) {
      const std::string name = std::string("encoder_layer_") + (first ? "pre" : "post") + "_" +
                               (act == Activation::relu ? "relu" : "gelu");
      CAPTURE(name);
      Generator gen(4);
      TransformerEncoderLayer layer(small_layer(act, first), gen);
      check_against_torch(name, layer, {"x"}, [&](auto& in) { return layer.forward(in[0]); });
    }
  }
}

TEST_CASE("torch parity: TransformerEncoderLayer with a causal mask") {
  Generator gen(5);
  TransformerEncoderLayer layer(small_layer(Activation::relu, false), gen);
  check_against_torch("encoder_layer_causal", layer, {"x"},
                      [&](auto& in) { return layer.forward(in[0], /*causal=*/true); });
}

TEST_CASE("torch parity: TransformerEncoderLayer with PatchTST's BatchNorm, training and evaluation") {
  Generator gen(6);
  TransformerEncoderLayer layer(small_layer(Activation::gelu, false, NormKind::batch), gen);
  check_against_torch("encoder_layer_batchnorm", layer, {"x"},
                      [&](auto& in) { return layer.forward(in[0]); });
}

TEST_CASE("torch parity: PatchTST as the peer workload builds it") {
  Generator gen(7);
  PatchTST model(small_patchtst(), gen);
  CHECK(model.num_patches() == (24 - 4) / 2 + 2);
  check_against_torch("patchtst_peer", model, {"x"}, [&](auto& in) { return model.forward(in[0]); });
}

TEST_CASE("torch parity: PatchTST with RevIN, BatchNorm and gelu, training and evaluation") {
  Generator gen(8);
  PatchTST model(small_patchtst_revin_batchnorm(), gen);
  check_against_torch("patchtst_revin_batchnorm", model, {"x"},
                      [&](auto& in) { return model.forward(in[0]); });
}

TEST_CASE("torch parity: PatchTSTForecaster is channel 0 of torch's PatchTST") {
  const Fixture fx = load_fixture("transformer/patchtst_revin_batchnorm.txt");
  ModelConfig config;
  config.kind = "patchtst";
  config.input_size = 2;
  config.lookback = 24;
  config.horizon = 6;
  config.patch_len = 4;
  config.stride = 2;
  config.d_model = 16;
  config.n_heads = 4;
  config.n_layers = 2;
  config.d_ff = 32;
  config.norm = "batch";
  config.activation = "gelu";
  config.revin = true;
  PatchTSTForecaster forecaster(config);
  forecaster.load_state_dict(torch_state(fx, "backbone."));
  auto channel0 = [](const Tensor& y) { return reshape(narrow(y, 2, 0, 1), {y.size(0), y.size(1)}); };
  // Training with BatchNorm: every channel runs (batch statistics).
  forecaster.train();
  check_close("forecaster, training", forecaster.forward(fx.at("x")), channel0(fx.at("out")), kForwardRtol,
              kForwardAtol);
  // Evaluation: only the target channel runs, against torch's all-channel evaluation output.
  forecaster.eval();
  check_close("forecaster, evaluation", forecaster.forward(fx.at("x")), channel0(fx.at("out_eval")),
              kForwardRtol, kForwardAtol);
}

TEST_CASE("torch parity: the reference study's patch transformer") {
  ModelConfig config;
  config.kind = "paper-patchtst";
  config.input_size = 3;
  config.lookback = 11;
  config.horizon = 5;
  PaperPatchArchitecture arch{
      .patch_len = study_patch_len(11), .d_model = 16, .n_heads = 4, .n_layers = 2, .d_ff = 32};
  REQUIRE(arch.patch_len == 2);
  PaperPatchTransformer model(config, arch);
  CHECK(model.num_patches() == 6);
  check_against_torch("paper_patch_transformer", model, {"x"},
                      [&](auto& in) { return model.forward(in[0]); });
}
