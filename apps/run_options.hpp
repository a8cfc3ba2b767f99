#pragma once
// The options every subcommand shares (Note [One vocabulary]) and the stderr messages they govern.
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "synapse/nn/model_config.hpp"
#include "synapse/train/prediction.hpp"

namespace syn::apps {

// Note [One vocabulary]
// Every subcommand names things the same way:
//   MODEL (positional) or --model-file FILE   the checkpoint (train writes it: --out is an alias there)
//   --model KIND                              the model kind: train builds one, eval and predict
//                                             refuse a checkpoint of another kind
//   --data FILE  --out FILE                   the CSV read; the file written
//   --seed N  --threads N  --quiet  --no-progress
// Progress and information go to stderr, results to stdout; warnings ("warning: ...") are shown
// even with --quiet and are repeated in the JSON's "warnings".

struct RunOptions {
  bool no_progress = false, quiet = false;
  int threads = 0;  // 0: the default (every core OpenMP sees)

  bool progress() const { return !no_progress && !quiet; }
  // Sets the thread count when --threads was given.
  void apply() const;
  // printf-style line on stderr unless --quiet.
  void info(const char* format, ...) const __attribute__((format(printf, 2, 3)));
};

// --no-progress, --quiet, --threads.
void add_run_options(CLI::App& app, RunOptions& o);

// "warning: <text>" on stderr.
void warn(const std::string& text);

// MODEL (positional) and --model-file: the checkpoint to read, required.
CLI::Option* add_model_file(CLI::App& app, std::string& path);

// --model KIND on eval and predict: the kind the checkpoint must hold.
CLI::Option* add_kind_check(CLI::App& app, std::string& kind);

// The model kinds, and a validator accepting them that tells a file name apart ("--model is the
// model kind ...; name the checkpoint as MODEL or --model-file").
const std::vector<std::string>& model_kinds();
CLI::Validator model_kind();

// Progress of MC-dropout passes on stderr (none unless the config is mc-dropout and progress is on):
// a self-overwriting line on a terminal, else a line every few seconds and at the end.
train::PredictProgress mc_progress(const RunOptions& o, const nn::ModelConfig& config);

}  // namespace syn::apps
