#pragma once
// ModelConfig: everything needed to rebuild a forecaster (saved in checkpoints, read from the CLI
// and from --config JSON). Serialised as string key/value pairs so nn/ needs no JSON library.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace syn::nn {

struct ModelConfig {
  std::string kind = "lstm";  // rnn | lstm | gru | patchtst | paper-patchtst | linear
  // Data shape: windows (N, lookback, input_size) -> forecasts (N, horizon) of the target
  // (input column 0).
  int64_t input_size = 1;
  int64_t lookback = 96;
  int64_t horizon = 24;
  uint64_t seed = 0;

  // Regularisation: none | dropout | mc-dropout (dropout kept at prediction, mc_samples averaged) |
  // pruning (synaptic pruning during training, no dropout) | pruning+dropout (both, the study's
  // transformer setting). The pruning itself is the trainer's (train/pruning_callback.hpp).
  std::string reg = "none";
  float dropout = 0.2f;
  int64_t mc_samples = 30;

  // Recurrent models.
  int64_t hidden_size = 64;
  int64_t num_layers = 2;
  std::string nonlinearity = "tanh";  // rnn only: tanh | relu

  // PatchTST.
  int64_t patch_len = 16;
  int64_t stride = 8;
  int64_t d_model = 128;
  int64_t n_heads = 16;
  int64_t n_layers = 3;
  int64_t d_ff = 256;
  std::string norm = "batch";        // batch | layer
  std::string activation = "gelu";   // gelu | relu

  // Every kind: RevIN on the inputs and the forecast (Note [RevIN around a forecaster] in
  // nn/revin.hpp). Unset: the kind's default, on for patchtst (as the paper), off for the others.
  std::optional<bool> revin;
  bool uses_revin() const { return revin.value_or(kind == "patchtst"); }

  // Dropout probability the model applies in training (0 unless reg is dropout, mc-dropout or
  // pruning+dropout).
  float active_dropout() const { return reg == "none" || reg == "pruning" ? 0.f : dropout; }
  // reg is pruning or pruning+dropout.
  bool pruning() const { return reg == "pruning" || reg == "pruning+dropout"; }

  // Whether setting `key` (a to_map key) changes this model: the recurrent sizes only for rnn, lstm
  // and gru (nonlinearity for rnn), the PatchTST sizes only for patchtst (paper-patchtst's
  // architecture is fixed), dropout only when reg uses dropout, mc_samples only for mc-dropout.
  bool applies(std::string_view key) const;

  // Every key, revin resolved (uses_revin()).
  std::map<std::string, std::string> to_map() const;
  // Unknown keys or malformed values throw ValueError naming the key and what was expected.
  static ModelConfig from_map(const std::map<std::string, std::string>& values);
  // Throws ValueError naming the field when a value is out of range (e.g. lookback <= 0).
  void validate() const;
};

}  // namespace syn::nn
