#pragma once
// TrainState: everything the Trainer needs to continue a run after its last completed epoch, saved
// with --checkpoint-every and read by --resume (Note [Resumable training]).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "synapse/nn/module.hpp"
#include "synapse/nn/optimizer.hpp"
#include "synapse/train/trainer_callback.hpp"

namespace syn::train {

// Note [Resumable training]
// At the end of every N-th epoch (after validation, callbacks, the kept-weights update and the
// early-stopping decision, when training goes on) the Trainer writes a TrainState atomically (Note
// [Atomic replace]): the current weights with their masks, the kept (best) weights, the optimizer
// state (Note [Optimizer state]) and learning rate, the global step (so step-driven callbacks such as
// the pruning schedule continue at the same position), the epoch count, the history and best-epoch
// bookkeeping, each callback's own state, and a fingerprint of the run (options, model config, a CRC of
// the windows). Resuming with the same settings loads all of it, replays the shuffling stream through
// the completed epochs (its draws depend only on the seed and the window count) and continues at the
// next epoch, so a run killed at any point and resumed from its last state ends with weights bitwise
// equal to an uninterrupted run. That includes the random streams: the model's (dropout masks, each
// registered with Module::register_random_stream) are saved by name and restored, and the pruner's
// (the random score) is part of the pruning callback's state.
inline constexpr uint32_t kTrainStateVersion = 2;

struct TrainState {
  std::string fingerprint;  // Trainer::fingerprint of the run that wrote it
  int64_t epoch = 0;        // completed epochs
  int64_t step = 0;         // optimizer steps so far
  double lr = 0;
  std::vector<EpochInfo> history;
  int64_t best_epoch = 0;
  double best_val_loss = 0;
  int64_t kept_epoch = 0;
  int64_t skipped_batches = 0;
  std::vector<std::string> callbacks;  // TrainerCallback::save_state of each callback, in order
  nn::StateDict weights;               // the model now, with masks
  nn::StateDict kept;                  // the weights kept so far
  nn::Optimizer::State optimizer;
  std::vector<std::pair<std::string, Generator::State>> random_streams;  // Module::named_random_streams
};

// Framed file "SYNTRST\n" (Note [Framed files]); written atomically.
void save_train_state(const std::filesystem::path& path, const TrainState& state);
// ValueError naming the file and the field for anything damaged, truncated or foreign.
TrainState load_train_state(const std::filesystem::path& path);
TrainState parse_train_state(std::span<const char> file, const std::string& what);

}  // namespace syn::train
