#pragma once
// Trainer: mini-batch training of any Forecaster on windows, with early stopping, NaN guard,
// progress bar, JSON-lines log and callbacks (Note [Training loop]).
#include <string>
#include <vector>

#include "synapse/forecast/windows.hpp"
#include "synapse/nn/forecaster.hpp"
#include "synapse/train/trainer_callback.hpp"
#include "synapse/train/trainer_options.hpp"

namespace syn::train {

// Note [Training loop]
// Each epoch: the training windows are visited in a fresh permutation from the shuffling stream (or
// in order), in batches of batch_size (the last one smaller, never dropped); per batch: forward,
// loss, backward, optional clip_grad_norm_, optimizer step, on_step callbacks. Then the mean loss
// over the early-stopping windows is computed in eval mode without recording (every window, in
// batches), on_epoch_end callbacks run, a JSON line is logged and the stop rule is applied.
// Weights kept: with restore_best the weights of the epoch with the lowest validation loss (ties:
// the earliest), else those of the last completed epoch. Without early-stopping windows every epoch
// counts as an improvement and the last epoch is kept.
// While a callback is not settled() (a pruning schedule that will still remove weights), an epoch
// is never the best one and the no-improvement rule never stops training: its weights are kept as
// the latest, and the best-epoch search starts at the first settled epoch. So a pruned run returns
// a model at the schedule's final sparsity, not an earlier, denser best epoch. The study's rule
// (consecutive rises) is not affected.
// Note [Non-finite batches]
// A batch whose loss or any gradient entry (after clipping) is NaN or infinite stops training at once
// (stop_reason "nan", the message names the epoch, the batch and what was not finite) and loads the
// weights kept so far (the initial weights when no epoch completed); with skip_nonfinite the batch is
// skipped instead (no optimizer step, no callbacks, not in the epoch's mean loss) and counted. A
// non-finite validation loss always stops. The abandoned batch's graph is dropped from the tape.
// An interrupt (TrainerOptions::interrupt, Ctrl-C in the CLI) stops after the current batch
// (stop_reason "interrupted") and loads the weights kept so far.
// Everything is deterministic: same options, model and data give bitwise the same run, and a run
// resumed from a TrainState gives bitwise the uninterrupted run (Note [Resumable training]).

enum class StopReason { completed, early_stopping, nan, interrupted };
// "completed" | "early_stopping" | "nan" | "interrupted"
std::string_view stop_reason_name(StopReason reason);

struct TrainResult {
  std::vector<EpochInfo> history;  // one entry per completed epoch
  int64_t best_epoch = 0;          // the epoch with the lowest validation loss (the last without)
  double best_val_loss = 0;        // its validation loss; NaN without validation windows
  int64_t kept_epoch = 0;          // the epoch whose weights the model holds now (0: the initial ones)
  StopReason stop_reason = StopReason::completed;
  std::string message;  // why training stopped, for people
  double seconds = 0;   // wall time of fit()
  int64_t skipped_batches = 0;  // non-finite batches skipped (skip_nonfinite)
  int64_t resumed_after = 0;    // the epoch a resumed run continued after (0: not resumed)
};

class Trainer {
 public:
  // ValueError for invalid options.
  Trainer(nn::Forecaster& model, TrainerOptions options);

  // train: the training windows; val: the early-stopping windows or nullptr. ShapeError when the
  // windows do not fit the model's config (lookback, input size, horizon).
  // With options.resume, continues that run (ValueError when the state's fingerprint differs).
  TrainResult fit(const forecast::Windows& train, const forecast::Windows* val);

  // What must match between a run and the state it resumes: the options that shape training, the
  // model config and a CRC of the windows.
  std::string fingerprint(const forecast::Windows& train, const forecast::Windows* val) const;

 private:
  nn::Forecaster& model_;
  TrainerOptions options_;
};

}  // namespace syn::train
