#pragma once
// The resilience options of `synapse train`: --checkpoint-every / --checkpoint-file (resumable
// training states), --resume, --skip-nonfinite; and Ctrl-C handling (Note [Resumable training]).
#include <csignal>
#include <cstdint>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "synapse/train/train_state.hpp"
#include "synapse/train/trainer_options.hpp"

namespace syn::apps {

struct ResumeArgs {
  int64_t checkpoint_every = 0;
  std::string checkpoint_file;  // default: the --out file + ".state"
  std::string resume;
  bool skip_nonfinite = false;
};

// Registers the options on `app` (the train subcommand, after --init-weights) in a group "Resilience".
void add_resume_options(CLI::App& app, ResumeArgs& a);

// The checkpoint file train writes (empty without --checkpoint-every).
std::string checkpoint_file(const ResumeArgs& a, const std::string& out);

// Reads the --resume state (before any other work: a bad file fails fast) into `state` and sets the
// trainer's checkpoint, skip and resume options. ValueError naming --resume for a damaged or foreign
// file.
void apply_resume_args(const ResumeArgs& a, const std::string& out, train::TrainerOptions& options,
                       std::unique_ptr<train::TrainState>& state);

// Installs a SIGINT handler that asks the trainer to stop after the current batch (a second Ctrl-C
// ends the process at once) and returns the flag it sets.
const volatile std::sig_atomic_t* stop_on_interrupt();

}  // namespace syn::apps
