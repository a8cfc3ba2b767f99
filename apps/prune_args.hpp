#pragma once
// The pruning options of `synapse train` (--schedule, --initial-sparsity, ... --prune-log) and how
// they become a pruning schedule and pruner settings.
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "synapse/pruning/pruner.hpp"
#include "synapse/pruning/schedule.hpp"
#include "synapse/train/pruning_callback.hpp"

namespace syn::apps {

struct PruneArgs {
  std::string schedule = "paper_ramp", scope = "global", score = "magnitude", granularity = "element", log;
  double initial_sparsity = 0, final_sparsity = 0;
  int64_t begin = 0, end = 0, every = 0;
  std::vector<std::string> include, exclude;
  // The options registered, to tell which ones the user gave.
  std::vector<const CLI::Option*> options;
  const CLI::Option *initial_option = nullptr, *final_option = nullptr, *begin_option = nullptr,
                    *end_option = nullptr, *every_option = nullptr;
};

// Registers the options on `app` (the train subcommand) in an option group "Pruning".
void add_prune_options(CLI::App& app, PruneArgs& a);

// ValueError naming the first pruning option given when `pruning` (reg pruning or pruning+dropout)
// is false.
void check_prune_options_need_pruning(const PruneArgs& a, bool pruning);

// The schedule: the model kind's study preset (pruning/paper_preset.hpp), end = epochs, with the
// values the user gave. ValueError naming --prune-begin and --prune-end when begin >= end.
pruning::Schedule prune_schedule(const PruneArgs& a, const std::string& model_kind, int64_t epochs);

// Scope, score, granularity, include/exclude patterns; the random score is seeded with `seed`.
pruning::PrunerOptions pruner_options(const PruneArgs& a, uint64_t seed);

// {"schedule", "initial_sparsity", "final_sparsity", "begin_epoch", "end_epoch", "every", "scope",
//  "score", "granularity", "tensors", "updates", "log"} for train's JSON output.
nlohmann::json pruning_json(const PruneArgs& a, const train::PruningCallback& pruning);

}  // namespace syn::apps
