#pragma once
// PaperPatchTransformer: the small patch transformer of the synaptic-pruning study (its
// PatchTST_Forecaster, Gideon Vos 2025, James Cook University; "reference study" below), as a
// Forecaster built from a ModelConfig of kind "paper-patchtst". Unlike PatchTST it is not channel
// independent: a patch holds every input feature.
//
//   x (N, L, F) -> replicate the last step until P divides L -> (N, n, P·F), n = ceil(L / P),
//   each patch its P time steps one after another with all F features per step
//   -> embed: Linear(P·F, d) + pos (1, n, d) -> n_layers post-norm ReLU encoder layers
//   -> dropout -> LayerNorm(d) -> mean over the n patches -> head: Linear(d, horizon)
//
// Where each choice comes from (all from the reference study's code):
// - patch length from the lookback (study_patch_len): L <= 7: 1, <= 14: 2, <= 30: 3, else 4, at
//   most L; non-overlapping patches, end padding by replication;
// - d_model 64, 4 heads, 2 layers: the study's run_experiment call (embed_dim=64, num_heads=4,
//   num_layers=2); d_ff 256: its TransformerBlock default (ff_dim=256);
// - encoder layer: attention, dropout, residual, LayerNorm; Linear, ReLU, dropout, Linear,
//   dropout, residual, LayerNorm (post-norm), dropout on the attention weights too: exactly
//   torch's TransformerEncoderLayer(activation=relu, norm_first=False), used here with the study's
//   separate q/k/v projections packed into in_proj_weight;
// - final dropout (in training, or kept at prediction for MC dropout by the caller's train mode),
//   then LayerNorm, then the mean over patches (AdaptiveAvgPool1d(1)), then the head. The study
//   predicts one step (Linear(d, 1)); here the head maps to `horizon`;
// - initialisation as the study's modules get it from torch: every Linear (embedding, q/k/v and
//   output projections, FFN, head) as torch.nn.Linear, biases included; pos ~ N(0, 1)
//   (torch.randn); LayerNorm ones/zeros; layers initialised independently (an nn.ModuleList).
//
// Parameter names: embed.{weight,bias}, pos, encoder.layers.<i>.<TransformerEncoderLayer names>,
// norm.{weight,bias}, head.{weight,bias}. From the config: input_size, lookback, horizon,
// active_dropout(), seed; the transformer sizes are the architecture's (the config's d_model,
// n_heads, n_layers, d_ff, patch_len, stride, norm and activation do not apply); revin=true wraps
// the whole model in a child `revin` (Note [RevIN around a forecaster]).
#include <cstdint>
#include <memory>

#include "synapse/core/random.hpp"
#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/layer_norm_module.hpp"
#include "synapse/nn/linear.hpp"
#include "synapse/nn/transformer_encoder_layer.hpp"

namespace syn::nn {

// The reference study's patch length for a lookback (see above). ValueError for lookback <= 0.
int64_t study_patch_len(int64_t lookback);

struct PaperPatchArchitecture {
  int64_t patch_len = 4;
  int64_t d_model = 64;
  int64_t n_heads = 4;
  int64_t n_layers = 2;
  int64_t d_ff = 256;
  // The reference study's architecture for a lookback.
  static PaperPatchArchitecture study(int64_t lookback);
};

class PaperPatchTransformer : public Forecaster {
 public:
  // ValueError for a config of another kind, one that fails validate(), or an architecture with
  // sizes <= 0, patch_len > lookback or d_model not divisible by n_heads.
  explicit PaperPatchTransformer(ModelConfig config);
  PaperPatchTransformer(ModelConfig config, const PaperPatchArchitecture& architecture);

  // x: (N, lookback, input_size) -> y: (N, horizon)
  Tensor forward(const Tensor& x) override;

  const PaperPatchArchitecture& architecture() const { return arch_; }
  int64_t num_patches() const { return num_patches_; }
  TransformerEncoder& encoder() { return *encoder_; }

 private:
  PaperPatchArchitecture arch_;
  int64_t num_patches_;
  std::shared_ptr<Linear> embed_, head_;
  Tensor pos_;
  std::shared_ptr<TransformerEncoder> encoder_;
  std::shared_ptr<LayerNorm> norm_;
  Generator dropout_gen_;
};

}  // namespace syn::nn
