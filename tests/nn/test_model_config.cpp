#include <doctest/doctest.h>

#include "synapse/core/error.hpp"
#include "synapse/nn/model_config.hpp"

using namespace syn;
using namespace syn::nn;
using doctest::Contains;

TEST_CASE("ModelConfig: to_map / from_map round trip of every field") {
  ModelConfig c;
  c.kind = "gru";
  c.input_size = 3;
  c.lookback = 48;
  c.horizon = 7;
  c.seed = 18446744073709551615ull;
  c.reg = "mc-dropout";
  c.dropout = 0.35f;
  c.mc_samples = 12;
  c.hidden_size = 32;
  c.num_layers = 3;
  c.nonlinearity = "relu";
  c.patch_len = 8;
  c.stride = 4;
  c.d_model = 64;
  c.n_heads = 4;
  c.n_layers = 2;
  c.d_ff = 128;
  c.norm = "layer";
  c.activation = "relu";
  c.revin = false;
  const auto map = c.to_map();
  CHECK(map.size() == 20);
  CHECK(map.at("kind") == "gru");
  CHECK(map.at("revin") == "false");
  const ModelConfig back = ModelConfig::from_map(map);
  CHECK(back.to_map() == map);
  CHECK(back.seed == c.seed);
  CHECK(back.dropout == c.dropout);
  CHECK(back.revin == false);
  // Floats are written exactly (shortest round-trip text), not rounded to 6 digits.
  c.dropout = 1.2345678e-7f;
  CHECK(c.to_map().at("dropout") == "1.2345679e-07");  // the float nearest 1.2345678e-7
  CHECK(ModelConfig::from_map(c.to_map()).dropout == c.dropout);
  CHECK(back.nonlinearity == "relu");
}

TEST_CASE("ModelConfig: from_map keeps defaults for absent keys") {
  const ModelConfig c = ModelConfig::from_map({{"kind", "linear"}, {"lookback", "10"}});
  CHECK(c.kind == "linear");
  CHECK(c.lookback == 10);
  CHECK(c.horizon == ModelConfig{}.horizon);
  CHECK(ModelConfig::from_map({{"revin", "1"}}).uses_revin());
  CHECK_FALSE(ModelConfig::from_map({{"revin", "0"}}).uses_revin());
  // Unset, RevIN follows the kind: on for patchtst only; to_map writes it resolved.
  CHECK(ModelConfig::from_map({{"kind", "patchtst"}}).uses_revin());
  CHECK_FALSE(ModelConfig::from_map({{"kind", "lstm"}}).uses_revin());
  CHECK(ModelConfig::from_map({{"kind", "lstm"}}).to_map().at("revin") == "false");
  CHECK(ModelConfig::from_map({{"kind", "lstm"}, {"revin", "true"}}).uses_revin());
}

TEST_CASE("ModelConfig: applies tells the settings that change the model of a kind and regulariser") {
  ModelConfig c;
  c.kind = "lstm";
  CHECK(c.applies("hidden_size"));
  CHECK(c.applies("revin"));
  CHECK_FALSE(c.applies("d_model"));
  CHECK_FALSE(c.applies("nonlinearity"));
  CHECK_FALSE(c.applies("dropout"));  // reg none
  c.reg = "mc-dropout";
  CHECK(c.applies("dropout"));
  CHECK(c.applies("mc_samples"));
  c.reg = "pruning+dropout";
  CHECK_FALSE(c.applies("mc_samples"));
  c.kind = "patchtst";
  CHECK(c.applies("n_heads"));
  CHECK_FALSE(c.applies("num_layers"));
  c.kind = "paper-patchtst";
  CHECK_FALSE(c.applies("d_model"));
  CHECK(c.applies("lookback"));
  c.kind = "rnn";
  CHECK(c.applies("nonlinearity"));
}

TEST_CASE("ModelConfig: unknown keys and malformed values name the key") {
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"hiden_size", "3"}}), Contains("unknown key 'hiden_size'"),
                       ValueError);
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"lookback", "ten"}}),
                       Contains("'lookback' expects a number, got 'ten'"), ValueError);
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"lookback", "12x"}}), Contains("'lookback'"), ValueError);
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"lookback", ""}}), Contains("'lookback'"), ValueError);
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"seed", "-1"}}), Contains("'seed'"), ValueError);
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"dropout", "abc"}}), Contains("'dropout'"), ValueError);
  CHECK_THROWS_WITH_AS(ModelConfig::from_map({{"revin", "yes"}}),
                       Contains("'revin' expects true or false, got 'yes'"), ValueError);
}

TEST_CASE("ModelConfig: validate names the field out of range") {
  CHECK_NOTHROW(ModelConfig{}.validate());
  auto invalid = [](auto change, const char* message) {
    ModelConfig c;
    change(c);
    CHECK_THROWS_WITH_AS(c.validate(), Contains(message), ValueError);
  };
  invalid([](ModelConfig& c) { c.kind = "transformer"; },
          "'kind' is 'transformer', expected one of rnn, lstm");
  invalid([](ModelConfig& c) { c.reg = "prune"; }, "'reg' is 'prune', expected one of none, dropout, mc-dropout, pruning, pruning+dropout");
  invalid([](ModelConfig& c) { c.nonlinearity = "gelu"; }, "'nonlinearity'");
  invalid([](ModelConfig& c) { c.norm = "group"; }, "'norm'");
  invalid([](ModelConfig& c) { c.activation = "swish"; }, "'activation'");
  invalid([](ModelConfig& c) { c.lookback = 0; }, "'lookback' must be > 0, got 0");
  invalid([](ModelConfig& c) { c.horizon = -3; }, "'horizon' must be > 0, got -3");
  invalid([](ModelConfig& c) { c.input_size = 0; }, "'input_size'");
  invalid([](ModelConfig& c) { c.hidden_size = 0; }, "'hidden_size'");
  invalid([](ModelConfig& c) { c.mc_samples = 0; }, "'mc_samples'");
  invalid([](ModelConfig& c) { c.dropout = 1.f; }, "'dropout' must be in [0, 1)");
  invalid([](ModelConfig& c) { c.dropout = -0.1f; }, "'dropout'");
  invalid([](ModelConfig& c) { c.n_heads = 3; }, "'d_model' (128) must be divisible by 'n_heads' (3)");
}

TEST_CASE("ModelConfig: active_dropout is 0 without regularisation") {
  ModelConfig c;
  c.dropout = 0.4f;
  CHECK(c.active_dropout() == 0.f);
  c.reg = "dropout";
  CHECK(c.active_dropout() == 0.4f);
  c.reg = "mc-dropout";
  CHECK(c.active_dropout() == 0.4f);
  CHECK(!c.pruning());
}

TEST_CASE("ModelConfig: pruning has no dropout, pruning+dropout keeps it (the study's transformer setting)") {
  ModelConfig c;
  c.dropout = 0.3f;
  c.reg = "pruning";
  CHECK_NOTHROW(c.validate());
  CHECK(c.pruning());
  CHECK(c.active_dropout() == 0.f);
  c.reg = "pruning+dropout";
  CHECK_NOTHROW(c.validate());
  CHECK(c.pruning());
  CHECK(c.active_dropout() == 0.3f);
}
