#pragma once
// ProgressBar: one self-overwriting status line on stderr while training runs
//   epoch 3/20 [#########...........] 45/120  loss 0.01234  ETA 0:42
// and a summary line per epoch. Drawn only when enabled (a terminal); at most every 0.1 s.
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "synapse/train/trainer_callback.hpp"

namespace syn::train {

class ProgressBar {
 public:
  // enabled: draw at all; stream: where (stderr in the trainer).
  ProgressBar(bool enabled, int64_t epochs, int64_t batches_per_epoch, std::FILE* stream = stderr);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // After a batch; running_loss is the epoch's mean loss so far.
  void step(int64_t epoch, int64_t batch, double running_loss);
  void epoch_done(const EpochInfo& info);

  // True when stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  void clear_line();

  bool enabled_;
  int64_t epochs_, batches_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool line_open_ = false;
};

}  // namespace syn::train
