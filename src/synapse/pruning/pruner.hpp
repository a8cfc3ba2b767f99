#pragma once
// Pruner: installs ever sparser masks on a model's prunable tensors (Note [Prunable tensors]) by
// score, one update at a time. The schedule (schedule.hpp) says when and to which target; the
// trainer callback (train/pruning_callback.hpp) drives both during training.
//
// Note [Pruning updates]
// An update to target s over a group of tensors (all prunable tensors for global scope, the study's
// method; each tensor alone for per-tensor scope) of `size` entries, `dead` of them already pruned:
// - want = min(round(s · size), size − 1) entries dead; nothing happens when dead >= want (masks only
//   lose entries: dead entries stay dead and count toward the target).
// - The live units (entries, rows or blocks with at least one live entry) are ordered by score
//   ascending, ties by tensor (in parameter order) and then unit index, and pruned in that order until
//   at least `want` entries are dead: element granularity reaches want exactly, row and block
//   granularity overshoot by less than one unit.
// - The threshold reported is the highest score pruned by the update (NaN when none was).
// - Each changed tensor gets a new Mask through Tensor::set_mask (dead entries become 0; the
//   optimizers zero their moments, Note [Masked optimizer steps]).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "synapse/core/random.hpp"
#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/pruning/granularity.hpp"
#include "synapse/pruning/prune_report.hpp"
#include "synapse/pruning/score.hpp"

namespace syn::pruning {

enum class Scope { global, per_tensor };
std::string_view scope_name(Scope scope);  // "global" | "per-tensor"
// ValueError listing the names otherwise ("per_tensor" is read as well).
Scope scope_from_name(std::string_view name);

struct PrunerOptions {
  Scope scope = Scope::global;
  ScoreKind score = ScoreKind::magnitude;
  Granularity granularity;
  std::vector<std::string> include, exclude;  // glob patterns (Note [Prunable tensors])
  std::string model_kind;  // rnn | lstm | gru: per-gate reports of the recurrent weights
  uint64_t seed = 0;       // the random score's stream
};

class Pruner {
 public:
  // params: the model's named parameters (handles: masks are installed on the model's own tensors).
  // ValueError from select_prunable.
  Pruner(const nn::NamedTensors& params, PrunerOptions options);
  // A forecaster's parameters; options.model_kind is taken from its config.
  Pruner(const nn::Forecaster& model, PrunerOptions options);

  // One update towards target in [0, 1) (Note [Pruning updates]); ValueError for a target outside
  // it (cap schedule values first, Note [Sparsity cap]) and from the grad-magnitude score.
  PruneReport prune(double target);
  // The tensors' current state (target and thresholds NaN).
  PruneReport report() const;
  // Achieved sparsity over the pruned tensors, in [0, 1].
  double sparsity() const;

  const nn::NamedTensors& tensors() const { return tensors_; }
  const PrunerOptions& options() const { return options_; }
  // The random score's stream, saved and restored by resumable training (Note [Resumable training]).
  Generator::State random_state() const { return gen_.state(); }
  void set_random_state(const Generator::State& state) { gen_.set_state(state); }

 private:
  nn::NamedTensors tensors_;
  PrunerOptions options_;
  std::vector<UnitLayout> layouts_;
  std::vector<std::string_view> gate_names_;
  Generator gen_;
};

}  // namespace syn::pruning
