#pragma once
// The subcommands of the `synapse` tool. Each add_*_command registers its options on the root app
// and returns how to run it once parsed.
#include <functional>

#include <CLI/CLI.hpp>

namespace syn::apps {

// Exit status (Note [Exit codes]).
// Note [Exit codes]
//   0  success (also --help)
//   1  a failure that is not the user's input (e.g. a file cannot be written)
//   2  bad usage or bad input: unknown option, invalid value, unreadable or malformed data file or
//      checkpoint, unknown column, too few rows, a checkpoint of another model kind. The reason goes to
//      stderr and names the file and the column, line, option or field.
//   130 train stopped by Ctrl-C: the weights kept so far were scored and saved as usual.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInterrupted = 130;

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_train_command(CLI::App& root);
Command add_eval_command(CLI::App& root);
Command add_predict_command(CLI::App& root);
Command add_inspect_command(CLI::App& root);
Command add_masks_command(CLI::App& root);
Command add_demo_command(CLI::App& root);
Command add_export_command(CLI::App& root);
Command add_import_command(CLI::App& root);
Command add_experiment_command(CLI::App& root);
Command add_sensitivity_command(CLI::App& root);

}  // namespace syn::apps
