// PatchTST, PatchTSTForecaster and the study's patch transformer beyond the PyTorch fixtures:
// patch counts, names, the channel-0 shortcut, dropout modes, the study's patch-length rule, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/nn/paper_patch_transformer.hpp"
#include "synapse/nn/patchtst.hpp"
#include "synapse/nn/patchtst_forecaster.hpp"
#include "synapse/ops/shape_ops.hpp"

using namespace syn;
using namespace syn::nn;

namespace {

double max_abs_diff(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  double worst = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    worst = std::max(worst, std::fabs(double(a.data()[i]) - b.data()[i]));
  return worst;
}

PatchTSTOptions small(NormKind norm, bool revin) {
  return {.channels = 3,
          .lookback = 20,
          .horizon = 4,
          .patch_len = 4,
          .stride = 4,
          .d_model = 8,
          .n_heads = 2,
          .n_layers = 2,
          .d_ff = 16,
          .activation = Activation::gelu,
          .norm = norm,
          .revin = revin};
}

ModelConfig patchtst_config() {
  ModelConfig c;
  c.kind = "patchtst";
  c.input_size = 3;
  c.lookback = 20;
  c.horizon = 4;
  c.patch_len = 4;
  c.stride = 4;
  c.d_model = 8;
  c.n_heads = 2;
  c.n_layers = 1;
  c.d_ff = 16;
  return c;
}

ModelConfig paper_config(int64_t lookback, int64_t input_size = 2) {
  ModelConfig c;
  c.kind = "paper-patchtst";
  c.input_size = input_size;
  c.lookback = lookback;
  c.horizon = 3;
  return c;
}

// Random affine RevIN and BatchNorm statistics, so a shortcut that used the wrong channel's would show.
void randomize_state(Module& m, uint64_t seed) {
  Generator gen(seed);
  for (auto& [name, t] : m.state_dict()) {
    auto has = [&](const char* part) { return name.find(part) != std::string::npos; };
    if (has("running_var") || has("affine_weight"))
      init::uniform_(t, gen, 0.5, 1.5);
    else if (has("running_mean") || has("affine_bias"))
      init::normal_(t, gen, 0.0, 0.3);
  }
}

Tensor entry(const Module& m, const std::string& name) {
  for (const auto& [n, t] : m.state_dict())
    if (n == name) return t;
  FAIL("no entry " << name);
  return Tensor();
}

}  // namespace

TEST_CASE("PatchTST: the peer's sizes give 42 patches, names, output shape") {
  Generator gen(1);
  PatchTST peer(PatchTSTOptions{}, gen);
  CHECK(peer.num_patches() == (336 - 16) / 8 + 2);
  const auto params = peer.named_parameters();
  // A module's own parameters come before its children's (torch's order).
  CHECK(params[0].first == "pos");
  CHECK(params[0].second.shape() == Shape{1, 42, 128});
  CHECK(params[1].first == "emb.weight");
  CHECK(params[3].first == "enc.layers.0.self_attn.in_proj_weight");
  CHECK(params.back().first == "head.bias");
  CHECK(params[params.size() - 2].second.shape() == Shape{96, 42 * 128});

  PatchTST model(small(NormKind::layer, true), gen);
  CHECK(model.named_parameters()[1].first == "revin.affine_weight");
  CHECK(model.num_patches() == (20 - 4) / 4 + 2);
  const Tensor y = model.forward(Tensor::randn(Shape{5, 20, 3}, gen));
  CHECK(y.shape() == Shape{5, 4, 3});
  // lookback < patch_len <= lookback + stride still gives one padded patch
  PatchTSTOptions tiny = small(NormKind::layer, false);
  tiny.lookback = 3;
  tiny.patch_len = 4;
  tiny.stride = 2;
  CHECK(PatchTST(tiny, gen).num_patches() == 1);
}

TEST_CASE("PatchTST: channels are independent, so forward_channels equals a slice of forward") {
  for (NormKind norm : {NormKind::layer, NormKind::batch}) {
    Generator gen(2);
    PatchTST model(small(norm, /*revin=*/true), gen);
    randomize_state(model, 3);
    if (norm == NormKind::batch) model.eval();  // batch statistics couple the channels in training
    const Tensor x = Tensor::randn(Shape{4, 20, 3}, gen);
    const Tensor full = model.forward(x);
    for (int64_t c = 0; c < 3; ++c) {
      CAPTURE(c);
      const Tensor one = model.forward_channels(narrow(x, 2, c, 1), c);
      CHECK(max_abs_diff(one, narrow(full, 2, c, 1)) < 1e-5);
    }
    CHECK(max_abs_diff(model.forward_channels(narrow(x, 2, 1, 2), 1), narrow(full, 2, 1, 2)) < 1e-5);
  }
}

TEST_CASE("PatchTST: dropout in training only, errors name the option or the shape") {
  Generator gen(4);
  PatchTSTOptions o = small(NormKind::layer, false);
  o.dropout = 0.2f;
  PatchTST model(o, gen);
  const Tensor x = Tensor::randn(Shape{2, 20, 3}, gen);
  CHECK(max_abs_diff(model.forward(x), model.forward(x)) > 1e-4);
  model.eval();
  CHECK(max_abs_diff(model.forward(x), model.forward(x)) == 0.0);

  auto with = [](auto change) {
    PatchTSTOptions bad = small(NormKind::layer, false);
    change(bad);
    return bad;
  };
  CHECK_THROWS_WITH_AS(PatchTST(with([](auto& b) { b.stride = 0; }), gen), doctest::Contains("stride"),
                       ValueError);
  CHECK_THROWS_WITH_AS(PatchTST(with([](auto& b) { b.patch_len = 30; }), gen), doctest::Contains("patch_len"),
                       ValueError);
  CHECK_THROWS_AS(PatchTST(with([](auto& b) { b.n_heads = 3; }), gen), ValueError);
  CHECK_THROWS_AS(PatchTST(with([](auto& b) { b.dropout = 1.f; }), gen), ValueError);
  CHECK_THROWS_WITH_AS(model.forward(Tensor::zeros(Shape{2, 19, 3})), doctest::Contains("PatchTST"),
                       ShapeError);
  CHECK_THROWS_AS(model.forward(Tensor::zeros(Shape{2, 20, 2})), ShapeError);
  CHECK_THROWS_AS(model.forward_channels(Tensor::zeros(Shape{2, 20, 2}), 2), ShapeError);
}

TEST_CASE("PatchTSTForecaster: channel 0 of the backbone, with or without the shortcut") {
  for (std::string norm : {"layer", "batch"}) {
    CAPTURE(norm);
    ModelConfig config = patchtst_config();
    config.norm = norm;
    PatchTSTForecaster f(config);
    CHECK(f.named_parameters()[1].first == "backbone.revin.affine_weight");
    randomize_state(f, 5);
    Generator gen(6);
    const Tensor x = Tensor::randn(Shape{4, 20, 3}, gen);
    for (bool training : {true, false}) {
      CAPTURE(training);
      f.train(training);
      // The backbone on all channels first (it updates BatchNorm's statistics in training), then
      // the forecaster from the same state.
      const StateDict before = [&] {
        StateDict s = f.state_dict();
        for (auto& [_, t] : s) t = t.clone();
        return s;
      }();
      const Tensor full = f.backbone().forward(x);
      f.load_state_dict(before);
      const Tensor y = f.forward(x);
      CHECK(y.shape() == Shape{4, 4});
      CHECK(max_abs_diff(y, reshape(narrow(full, 2, 0, 1), {4, 4})) < 1e-5);
    }
  }
}

TEST_CASE("PatchTSTForecaster: config checks") {
  ModelConfig wrong = patchtst_config();
  wrong.kind = "lstm";
  CHECK_THROWS_WITH_AS(PatchTSTForecaster{wrong}, doctest::Contains("patchtst"), ValueError);
  ModelConfig bad = patchtst_config();
  bad.n_heads = 3;
  CHECK_THROWS_AS(PatchTSTForecaster{bad}, ValueError);
  PatchTSTForecaster f(patchtst_config());
  CHECK_THROWS_WITH_AS(f.forward(Tensor::zeros(Shape{2, 20, 2})), doctest::Contains("PatchTSTForecaster"),
                       ShapeError);
  // Same seed, same weights; another seed, others.
  PatchTSTForecaster g(patchtst_config());
  const std::string w = "backbone.emb.weight";
  CHECK(max_abs_diff(entry(f, w), entry(g, w)) == 0.0);
  ModelConfig other = patchtst_config();
  other.seed = 1;
  CHECK(max_abs_diff(entry(f, w), entry(PatchTSTForecaster(other), w)) > 0.0);
}

TEST_CASE("paper patch transformer: the study's patch length for each lookback") {
  const std::vector<std::pair<int64_t, int64_t>> table = {{1, 1},  {3, 1},  {7, 1},  {8, 2},  {14, 2},
                                                          {15, 3}, {30, 3}, {31, 4}, {60, 4}, {336, 4}};
  for (auto [lookback, patch] : table) {
    CAPTURE(lookback);
    CHECK(study_patch_len(lookback) == patch);
  }
  CHECK_THROWS_AS(study_patch_len(0), ValueError);
  const PaperPatchArchitecture a = PaperPatchArchitecture::study(30);
  CHECK(a.patch_len == 3);
  CHECK(a.d_model == 64);
  CHECK(a.n_heads == 4);
  CHECK(a.n_layers == 2);
  CHECK(a.d_ff == 256);
}

TEST_CASE("paper patch transformer: preset sizes, padding, names, forward shape, dropout modes") {
  PaperPatchTransformer m(paper_config(14));  // patch 2, 7 patches
  CHECK(m.architecture().patch_len == 2);
  CHECK(m.num_patches() == 7);
  const auto params = m.named_parameters();
  CHECK(params[0].first == "pos");
  CHECK(params[0].second.shape() == Shape{1, 7, 64});
  CHECK(params[1].first == "embed.weight");
  CHECK(params[1].second.shape() == Shape{64, 2 * 2});
  CHECK(params[3].first == "encoder.layers.0.self_attn.in_proj_weight");
  CHECK(params[3].second.shape() == Shape{192, 64});
  CHECK(params.back().first == "head.bias");
  // Independently initialised layers with torch.nn.Linear's bias init (not zeros) on the projections.
  const auto& layers = m.encoder().layers();
  CHECK(max_abs_diff(layers[0]->self_attn().in_proj_weight(), layers[1]->self_attn().in_proj_weight()) > 0.0);
  CHECK(max_abs_diff(layers[0]->self_attn().in_proj_bias(), Tensor::zeros(Shape{192})) > 0.0);

  PaperPatchTransformer padded(paper_config(13));  // patch 2: 13 steps padded to 14
  CHECK(padded.num_patches() == 7);
  Generator gen(7);
  const Tensor x = Tensor::randn(Shape{5, 13, 2}, gen);
  CHECK(padded.forward(x).shape() == Shape{5, 3});
  // Replication padding: the result is that of the series with its last step repeated, and the
  // last step matters.
  Tensor x2 = x.clone();
  x2.mutable_data()[(0 * 13 + 12) * 2 + 0] += 1.f;
  CHECK(max_abs_diff(narrow(padded.forward(x), 0, 0, 1), narrow(padded.forward(x2), 0, 0, 1)) > 1e-4);

  ModelConfig drop = paper_config(13);
  drop.reg = "dropout";
  drop.dropout = 0.3f;
  PaperPatchTransformer d(drop);
  CHECK(max_abs_diff(d.forward(x), d.forward(x)) > 1e-4);
  d.eval();
  CHECK(max_abs_diff(d.forward(x), d.forward(x)) == 0.0);
}

TEST_CASE("paper patch transformer: config and architecture checks") {
  ModelConfig wrong = paper_config(10);
  wrong.kind = "patchtst";
  CHECK_THROWS_WITH_AS(PaperPatchTransformer{wrong}, doctest::Contains("paper-patchtst"), ValueError);
  CHECK_THROWS_AS(PaperPatchTransformer(paper_config(10), PaperPatchArchitecture{.patch_len = 11}),
                  ValueError);
  CHECK_THROWS_AS(PaperPatchTransformer(paper_config(10), PaperPatchArchitecture{.n_heads = 5}), ValueError);
  PaperPatchTransformer m(paper_config(10));
  CHECK_THROWS_WITH_AS(m.forward(Tensor::zeros(Shape{2, 10, 3})), doctest::Contains("PaperPatchTransformer"),
                       ShapeError);
}
