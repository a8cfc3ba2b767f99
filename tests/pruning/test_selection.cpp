#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/pruning/selection.hpp"
#include "synapse/train/model_factory.hpp"

using namespace syn;
using namespace syn::pruning;

namespace {

nn::ModelConfig config(const std::string& kind) {
  nn::ModelConfig c;
  c.kind = kind;
  c.input_size = 2;
  c.lookback = 16;
  c.horizon = 2;
  c.hidden_size = 8;
  c.num_layers = 1;
  c.patch_len = 4;
  c.stride = 4;
  c.d_model = 8;
  c.n_heads = 2;
  c.n_layers = 1;
  c.d_ff = 16;
  return c;
}

std::vector<std::string> selected(const std::string& kind, const std::vector<std::string>& include = {},
                                  const std::vector<std::string>& exclude = {}) {
  const nn::NamedTensors params = train::make_forecaster(config(kind))->named_parameters();
  std::vector<std::string> names;
  for (size_t i : select_prunable(params, include, exclude)) names.push_back(params[i].first);
  return names;
}

}  // namespace

TEST_CASE("selection: globs match the whole dotted name") {
  CHECK(glob_match("*.bias", "head.bias"));
  CHECK(glob_match("*.bias", "rnn.x.bias"));
  CHECK(!glob_match("*.bias", "rnn.bias_ih_l0"));
  CHECK(glob_match("*bias*", "rnn.bias_ih_l0"));
  CHECK(glob_match("rnn.weight_?h_l0", "rnn.weight_hh_l0"));
  CHECK(!glob_match("rnn.weight", "rnn.weight_hh_l0"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*b*c", "aXXbYYbc"));
  CHECK(!glob_match("a*b*c", "aXXbYYb"));
  CHECK(!glob_match("", "x"));
}

TEST_CASE("selection: by default the weight matrices of every model kind, recurrent ones included") {
  CHECK(selected("lstm") == std::vector<std::string>{"rnn.weight_ih_l0", "rnn.weight_hh_l0", "head.weight"});
  CHECK(selected("gru") == selected("lstm"));
  CHECK(selected("linear") == std::vector<std::string>{"weight"});
  const std::vector<std::string> patch = selected("patchtst");
  const std::vector<std::string> expected_patch = {"backbone.emb.weight",
                                                   "backbone.enc.layers.0.self_attn.in_proj_weight",
                                                   "backbone.enc.layers.0.self_attn.out_proj.weight",
                                                   "backbone.enc.layers.0.linear1.weight",
                                                   "backbone.enc.layers.0.linear2.weight",
                                                   "backbone.head.weight"};
  CHECK(patch == expected_patch);
  for (const std::string& name : selected("paper-patchtst")) {
    CAPTURE(name);
    CHECK(name.find("norm") == std::string::npos);
    CHECK(name.find("pos") == std::string::npos);
  }
  CHECK(selected("paper-patchtst").front() == "embed.weight");
  CHECK(selected("paper-patchtst").back() == "head.weight");
}

TEST_CASE("selection: include adds, exclude removes, exclude wins") {
  CHECK(selected("lstm", {"*bias*"}) == std::vector<std::string>{"rnn.weight_ih_l0", "rnn.weight_hh_l0",
                                                                  "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                                                                  "head.weight", "head.bias"});
  CHECK(selected("lstm", {}, {"head.*"}) == std::vector<std::string>{"rnn.weight_ih_l0", "rnn.weight_hh_l0"});
  CHECK(selected("lstm", {"head.bias"}, {"head.*"}) ==
        std::vector<std::string>{"rnn.weight_ih_l0", "rnn.weight_hh_l0"});
  // The study's patch transformer also prunes the LayerNorm gains of both blocks.
  const std::vector<std::string> with_norms = selected("paper-patchtst", {"*norm?.weight"});
  CHECK(std::count(with_norms.begin(), with_norms.end(), "encoder.layers.0.norm1.weight") == 1);
  CHECK(with_norms.size() == selected("paper-patchtst").size() + 4);
}

TEST_CASE("selection: a pattern that matches nothing, or nothing left to prune, throws ValueError") {
  CHECK_THROWS_WITH_AS(selected("lstm", {"*gamma*"}), doctest::Contains("include pattern '*gamma*' matches no parameter"),
                       ValueError);
  CHECK_THROWS_WITH_AS(selected("lstm", {}, {"weight"}), doctest::Contains("exclude pattern 'weight'"), ValueError);
  CHECK_THROWS_WITH_AS(selected("lstm", {}, {"*"}), doctest::Contains("no prunable tensors"), ValueError);
  CHECK_THROWS_WITH_AS(selected("lstm", {}, {"*"}), doctest::Contains("rnn.weight_ih_l0"), ValueError);
}
