#pragma once
// The study's pruning settings per model script (Vos et al. 2025; ../shared/study.md "The pruning
// method"), used when the user gives no schedule values.
#include <cstdint>
#include <string_view>

#include "synapse/pruning/schedule.hpp"

namespace syn::pruning {

struct PaperPreset {
  const char* name;  // the study's script
  double s_min;
  double s_max;
  int64_t warmup_epochs;
  int64_t every_batches;
};

// rnn: RNN.py 0.1 -> 0.5, warm-up 2, every 5 batches. lstm: LSTM.py 0.7 -> 1.2 (capped, Note [Sparsity
// cap]), warm-up 2, every 2. patchtst and paper-patchtst: PATCHTST.py 0.01 -> 0.5, warm-up 5, every 5.
// The study has no GRU or linear model: gru and linear take the RNN preset (the milder ramp).
PaperPreset paper_preset(std::string_view model_kind);

// A schedule of `kind` filled from the model kind's preset: initial = s_min, final = s_max, begin =
// the warm-up epochs, end = `epochs` (the run's length), frequency = every N batches. Callers override
// the values their user gave.
Schedule preset_schedule(ScheduleKind kind, std::string_view model_kind, int64_t epochs);

}  // namespace syn::pruning
