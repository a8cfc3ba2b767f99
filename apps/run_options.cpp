#include "run_options.hpp"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <memory>

#include "cli_values.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/train/progress_bar.hpp"

namespace syn::apps {

void RunOptions::apply() const {
  if (threads > 0) set_num_threads(threads);
}

void RunOptions::info(const char* format, ...) const {
  if (quiet) return;
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
}

void add_run_options(CLI::App& app, RunOptions& o) {
  app.add_flag("--no-progress", o.no_progress,
               "No progress output (default: a bar on a terminal, one line per epoch or every few seconds "
               "otherwise)");
  app.add_flag("--quiet", o.quiet, "Only results, warnings and errors: no progress or information on stderr");
  app.add_option("--threads", o.threads, "Worker threads (default: every core)")->check(positive_integer());
}

void warn(const std::string& text) { std::fprintf(stderr, "warning: %s\n", text.c_str()); }

CLI::Option* add_model_file(CLI::App& app, std::string& path) {
  return app.add_option("MODEL,--model-file", path, "Checkpoint written by synapse train")
      ->required()
      ->type_name("FILE");
}

const std::vector<std::string>& model_kinds() {
  static const std::vector<std::string> kinds = {"rnn", "lstm", "gru", "patchtst", "paper-patchtst", "linear"};
  return kinds;
}

CLI::Validator model_kind() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        for (const std::string& k : model_kinds())
          if (s == k) return {};
        return "--model is the model kind (rnn, lstm, gru, patchtst, paper-patchtst or linear), got '" + s +
               "'; name a checkpoint as MODEL or --model-file";
      },
      "KIND");
}

CLI::Option* add_kind_check(CLI::App& app, std::string& kind) {
  return app.add_option("--model", kind,
                        "Model kind the checkpoint must hold, e.g. lstm (default: any; the kind is saved in it)")
      ->check(model_kind());
}

train::PredictProgress mc_progress(const RunOptions& o, const nn::ModelConfig& config) {
  if (!o.progress() || config.reg != "mc-dropout") return {};
  using Clock = std::chrono::steady_clock;
  const bool terminal = train::ProgressBar::stderr_is_terminal();
  const int64_t passes = config.mc_samples;
  auto last = std::make_shared<Clock::time_point>(Clock::now());
  return [terminal, passes, last](int64_t done, int64_t total) {
    const auto now = Clock::now();
    const bool end = done == total;
    if (!end && std::chrono::duration<double>(now - *last).count() < (terminal ? 0.1 : 2.0)) return;
    *last = now;
    std::fprintf(stderr, "%sMC dropout: %lld/%lld windows x %lld passes%s", terminal ? "\r\033[K" : "",
                 static_cast<long long>(done), static_cast<long long>(total), static_cast<long long>(passes),
                 terminal && !end ? "" : "\n");
    std::fflush(stderr);
  };
}

}  // namespace syn::apps
