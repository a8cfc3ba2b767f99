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
// A non-finite batch or validation loss stops training at once (stop_reason "nan") and loads the
// weights kept so far (the initial weights when no epoch completed); the abandoned batch's graph is
// dropped from the thread's tape.
// While a callback is not settled() (a pruning schedule that will still remove weights), an epoch
// is never the best one and the no-improvement rule never stops training: its weights are kept as
// the latest, and the best-epoch search starts at the first settled epoch. So a pruned run returns
// a model at the schedule's final sparsity, not an earlier, denser best epoch. The study's rule
// (consecutive rises) is not affected.
// Everything is deterministic: same options, model and data give bitwise the same run.

enum class StopReason { completed, early_stopping, nan };
std::string_view stop_reason_name(StopReason reason);  // "completed" | "early_stopping" | "nan"

struct TrainResult {
  std::vector<EpochInfo> history;  // one entry per completed epoch
  int64_t best_epoch = 0;          // the epoch with the lowest validation loss (the last without)
  double best_val_loss = 0;        // its validation loss; NaN without validation windows
  int64_t kept_epoch = 0;          // the epoch whose weights the model holds now (0: the initial ones)
  StopReason stop_reason = StopReason::completed;
  std::string message;  // why training stopped, for people
  double seconds = 0;   // wall time of fit()
};

class Trainer {
 public:
  // ValueError for invalid options.
  Trainer(nn::Forecaster& model, TrainerOptions options);

  // train: the training windows; val: the early-stopping windows or nullptr. ShapeError when the
  // windows do not fit the model's config (lookback, input size, horizon).
  TrainResult fit(const forecast::Windows& train, const forecast::Windows* val);

 private:
  nn::Forecaster& model_;
  TrainerOptions options_;
};

}  // namespace syn::train
