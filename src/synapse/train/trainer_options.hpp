#pragma once
// TrainerOptions: everything the Trainer is told, with the reference study's defaults
// (Adam, lr 1e-3, batch 64, 20 epochs, MSE loss; see Note [Reference training setup]).
#include <csignal>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "synapse/forecast/protocol.hpp"

namespace syn::train {

class TrainerCallback;
struct TrainState;

// Note [Reference training setup]
// The synaptic-pruning study's scripts (Vos et al. 2025) train every model with torch.optim.Adam at
// lr 1e-3, nn.MSELoss on standard-scaled targets, batch 64 with shuffling, 20 epochs, and early
// stopping with patience 3 under the rule "stop when each of the last `patience` epochs did not
// lower the validation loss below the epoch before it"; the model of the last epoch run is scored
// (no best-weight restore) and the early-stopping set is the test set. These are our defaults where
// they are not leaks: protocol clean stops on a validation part with the usual rule (no improvement
// on the best for `patience` epochs) and restores the best weights; protocol paper reproduces the
// study's rule and keeps the last epoch (EarlyStopping::for_protocol).

enum class LossKind { mse, mae };
enum class OptimizerKind { adam, adamw, sgd };

enum class StopRule {
  // Stop after `patience` epochs without a validation loss below the best so far.
  no_improvement,
  // The study's rule: stop when each of the last `patience` epochs had a validation loss >= that of
  // the epoch before it.
  consecutive_rises,
};

struct EarlyStopping {
  StopRule rule = StopRule::no_improvement;
  int64_t patience = 5;      // > 0
  bool restore_best = true;  // load the weights of the best validation epoch at the end
  bool enabled = true;       // false: never stop early (the validation loss is still reported)

  // clean: no_improvement, restore_best; paper: consecutive_rises, keep the last epoch.
  // patience <= 0 takes the protocol's default (clean 5, paper 3 as the study).
  static EarlyStopping for_protocol(const forecast::Protocol& protocol, int64_t patience = 0);
  // Every epoch runs and the model of the last one is kept (a fixed-length run, e.g. to compare
  // with another framework step for step).
  static EarlyStopping off();
};

// automatic: a progress bar when stderr is a terminal, else one line per epoch; always: the bar.
enum class ProgressMode { automatic, always, never };

struct TrainerOptions {
  int64_t epochs = 20;
  int64_t batch_size = 64;
  double lr = 1e-3;
  OptimizerKind optimizer = OptimizerKind::adam;
  double weight_decay = 0.0;  // adam: L2 penalty; adamw: decoupled decay; sgd: L2 penalty
  double momentum = 0.0;      // sgd only
  LossKind loss = LossKind::mse;
  double clip_norm = 0.0;  // max gradient L2 norm; 0 leaves gradients alone
  bool shuffle = true;
  uint64_t seed = 0;  // the shuffling stream is Generator(seed, kShuffleStream)
  EarlyStopping early_stopping;
  ProgressMode progress = ProgressMode::automatic;
  std::ostream* log = nullptr;              // one JSON line per epoch when set
  std::vector<TrainerCallback*> callbacks;  // not owned; called in order
  // A batch whose loss or gradients are not finite: false stops training (stop_reason nan), true skips
  // the batch (no step) and counts it in TrainResult::skipped_batches.
  bool skip_nonfinite = false;
  // Every checkpoint_every epochs (0: never) a TrainState is written to checkpoint_path (Note
  // [Resumable training]).
  int64_t checkpoint_every = 0;
  std::string checkpoint_path;
  // Continue the run this state was saved from (not owned); ValueError when it is another run's.
  const TrainState* resume = nullptr;
  // Checked after every batch: when it reads true, training stops after that batch (stop_reason
  // interrupted) and keeps the weights kept so far (not owned; set by a signal handler).
  const volatile std::sig_atomic_t* interrupt = nullptr;

  // ValueError naming the option when a value is out of range.
  void validate() const;
};

std::string_view loss_name(LossKind kind);
LossKind loss_from_name(std::string_view name);  // "mse" | "mae" (also "l1"); ValueError otherwise
std::string_view optimizer_name(OptimizerKind kind);
OptimizerKind optimizer_from_name(std::string_view name);  // "adam" | "adamw" | "sgd"

}  // namespace syn::train
