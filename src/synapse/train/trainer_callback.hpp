#pragma once
// TrainerCallback: hooks into the training loop (the pruning schedule plugs in here). Both are called
// on the training thread with the model in training mode; a callback may change parameters and their
// masks (the optimizer follows mask changes, Note [Masked optimizer steps]).
#include <cstdint>
#include <string>

#include "synapse/nn/forecaster.hpp"

namespace syn::train {

// After one optimizer step.
struct StepInfo {
  int64_t epoch = 0;    // 1-based
  int64_t batch = 0;    // 1-based within the epoch
  int64_t batches = 0;  // per epoch
  int64_t step = 0;     // 1-based over the whole run
  double loss = 0;      // this batch's mean loss (scaled units)
  double lr = 0;
};

// After an epoch's validation, before the early-stopping decision.
struct EpochInfo {
  int64_t epoch = 0;      // 1-based
  double train_loss = 0;  // mean over the epoch's training windows
  double val_loss = 0;    // mean over the early-stopping windows; NaN when there are none
  double seconds = 0;     // wall time of the epoch (training and validation)
  double lr = 0;
  bool improved = false;  // a new best validation loss (always true without validation windows)
};

class TrainerCallback {
 public:
  virtual ~TrainerCallback() = default;
  virtual void on_step(const StepInfo&, nn::Forecaster&) {}
  virtual void on_epoch_end(const EpochInfo&, nn::Forecaster&) {}
  // Whether the model has its final structure: a callback still changing it (a pruning schedule
  // before its end) returns false, and the trainer neither keeps such an epoch as the best nor stops
  // early on it (Note [Training loop]).
  virtual bool settled() const { return true; }
  // The callback's own state for a resumable training state (Note [Resumable training]), and its
  // restore; ValueError for text it cannot read. Stateless callbacks keep the defaults.
  virtual std::string save_state() const { return {}; }
  virtual void restore_state(const std::string& state) { (void)state; }
};

}  // namespace syn::train
