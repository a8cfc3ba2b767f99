#pragma once
// ProgressBar: on a terminal, one self-overwriting status line on stderr while training runs
//   epoch 3/20 [#########...........] 45/120  loss 0.01234  ETA 0:42
// (at most every 0.1 s) and a summary line per epoch; elsewhere (a log file, a pipe) only the summary
// line per epoch, so a long run is never silent:
//   epoch 3/20  train 0.01234  val 0.02345  1.20s  *        (* a new best validation loss)
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "synapse/train/trainer_callback.hpp"

namespace syn::train {

class ProgressBar {
 public:
  enum class Style { off, bar, lines };  // lines: the epoch lines only
  // stream: where (stderr in the trainer).
  ProgressBar(Style style, int64_t epochs, int64_t batches_per_epoch, std::FILE* stream = stderr);
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

  Style style_;
  int64_t epochs_, batches_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool line_open_ = false;
};

}  // namespace syn::train
