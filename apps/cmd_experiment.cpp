// synapse experiment run|plan|report: grids of training runs (forecast/experiment_grid.hpp), their
// results files (Note [Results files]) and the report over them (experiment_report.hpp).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli_values.hpp"
#include "command.hpp"
#include "experiment_report.hpp"
#include "experiment_runner.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/forecast/results_file.hpp"

namespace syn::apps {
namespace {

struct ExperimentArgs {
  std::string config, results, format = "parallel", out, shard;
  std::vector<std::string> inputs;
  int64_t jobs = 1, run = -1, threads = 0;
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string self_path() { return std::filesystem::canonical("/proc/self/exe").string(); }

// This process's arguments (argv[1..]).
std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
  if (!args.empty()) args.erase(args.begin());
  return args;
}

std::string minutes(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  return detail::concat(s / 3600, ":", (s / 60 % 60 < 10 ? "0" : ""), s / 60 % 60, ":", (s % 60 < 10 ? "0" : ""),
                        s % 60);
}

// --jobs N: N copies of this command, each with --shard K/N, one thread each by default.
int run_shards(const ExperimentArgs& a) {
  const std::string exe = self_path();
  const int64_t threads = a.threads > 0 ? a.threads : std::max<int64_t>(1, syn::num_threads() / a.jobs);
  std::vector<pid_t> children;
  for (int64_t k = 0; k < a.jobs; ++k) {
    std::vector<std::string> args = {exe};
    for (const std::string& arg : own_arguments()) args.push_back(arg);
    args.insert(args.end(), {"--shard", detail::concat(k, "/", a.jobs), "--threads", std::to_string(threads)});
    std::vector<char*> cargs;
    for (std::string& s : args) cargs.push_back(s.data());
    cargs.push_back(nullptr);
    const pid_t pid = fork();
    SYN_CHECK_T(Error, pid >= 0, "experiment run: cannot start job ", k);
    if (pid == 0) {
      execv(exe.c_str(), cargs.data());
      _exit(127);
    }
    children.push_back(pid);
  }
  int worst = kExitOk;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : kExitFailure;
    worst = std::max(worst, code);
  }
  return worst;
}

int run_experiment(const ExperimentArgs& a) {
  const forecast::ExperimentGrid grid = forecast::ExperimentGrid::load(a.config);
  const GridDatasets datasets = prepare_grid(grid);  // a bad grid fails here, before any run
  SYN_CHECK_T(ValueError, a.run < static_cast<int64_t>(grid.runs.size()), "--run ", a.run, ": the grid has ",
              grid.runs.size(), " runs (0..", grid.runs.size() - 1, ")");
  if (a.jobs > 1 && a.run < 0 && a.shard.empty()) return run_shards(a);
  if (a.threads > 0) syn::set_num_threads(static_cast<int>(a.threads));
  int64_t shard = 0, shards = 1;
  if (!a.shard.empty()) {
    const size_t slash = a.shard.find('/');
    shard = std::stoll(a.shard.substr(0, slash));
    shards = std::stoll(a.shard.substr(slash + 1));
  }
  const std::string tag = shards > 1 ? detail::concat("[job ", shard + 1, "/", shards, "] ") : "";

  const forecast::Results existing = forecast::read_results({a.results}, /*missing_ok=*/true);
  for (const auto& p : existing.problems) std::fprintf(stderr, "%swarning: %s\n", tag.c_str(), p.describe().c_str());
  const std::set<std::string> done = forecast::finished_keys(existing);
  std::vector<const forecast::RunSpec*> todo;
  int64_t skipped = 0;
  for (const forecast::RunSpec& run : grid.runs) {
    if (a.run >= 0 ? run.index != a.run : run.index % shards != shard) continue;
    if (done.contains(run.key)) {
      ++skipped;
      continue;
    }
    todo.push_back(&run);
  }
  std::fprintf(stderr, "%sgrid %s: %zu runs; %lld here, %lld already in %s, %zu to run\n", tag.c_str(),
               grid.name.c_str(), grid.runs.size(), static_cast<long long>(skipped + todo.size()),
               static_cast<long long>(skipped), a.results.c_str(), todo.size());
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  for (size_t i = 0; i < todo.size(); ++i) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string eta = i == 0 ? "?" : minutes(elapsed / static_cast<double>(i) * static_cast<double>(todo.size() - i));
    std::fprintf(stderr, "%s[%zu/%zu] elapsed %s, ETA %s: run %lld, %s\n", tag.c_str(), i + 1, todo.size(),
                 minutes(elapsed).c_str(), eta.c_str(), static_cast<long long>(todo[i]->index),
                 todo[i]->label().c_str());
    try {
      const nlohmann::json line =
          execute_run(grid, *todo[i], datasets.at(todo[i]->settings.at("dataset").get<std::string>()));
      forecast::append_result(a.results, line);
      std::fprintf(stderr, "%s  MAE %.6g, RMSE %.6g, sparsity %.3f, %lld epochs, %.2fs\n", tag.c_str(),
                   line["metrics"]["mae"].is_number() ? line["metrics"]["mae"].get<double>() : NAN,
                   line["metrics"]["rmse"].is_number() ? line["metrics"]["rmse"].get<double>() : NAN,
                   line["sparsity"].get<double>(), static_cast<long long>(line["training"]["epochs"].get<int64_t>()),
                   line["seconds"].get<double>());
    } catch (const syn::Error& e) {
      ++failures;
      std::fprintf(stderr, "%srun %lld (%s) failed: %s\n", tag.c_str(), static_cast<long long>(todo[i]->index),
                   todo[i]->label().c_str(), e.what());
    }
  }
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "%s%zu runs in %s (%.1fs)%s\n", tag.c_str(), todo.size() - failures, minutes(total).c_str(),
               total, failures ? detail::concat(", ", failures, " failed").c_str() : "");
  return failures ? kExitFailure : kExitOk;
}

int plan_experiment(const ExperimentArgs& a) {
  const forecast::ExperimentGrid grid = forecast::ExperimentGrid::load(a.config);
  prepare_grid(grid);
  const std::string exe = shell_quote(self_path());
  const std::string config = shell_quote(std::filesystem::absolute(a.config).string());
  const std::string results = shell_quote(std::filesystem::absolute(a.results).string());
  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out, std::ios::trunc);
    SYN_CHECK_T(Error, file.good(), "--out: cannot write '", a.out, "'");
  }
  std::ostream& out = a.out.empty() ? std::cout : file;
  const size_t n = grid.runs.size();
  if (a.format == "parallel") {
    for (const forecast::RunSpec& run : grid.runs)
      out << exe << " experiment run --config " << config << " --results " << results << " --run " << run.index
          << " --threads 1\n";
    std::fprintf(stderr, "%zu commands; run them with: parallel --jobs N < %s\n", n,
                 a.out.empty() ? "FILE" : a.out.c_str());
  } else {
    out << "#!/bin/bash\n"
        << "# Slurm job array for grid " << grid.name << ": " << n << " runs, one per array task.\n"
        << "# Submit with: sbatch THIS_FILE (results are appended to " << results << ")\n"
        << "#SBATCH --job-name=synapse-" << grid.name << "\n"
        << "#SBATCH --array=0-" << n - 1 << "\n"
        << "#SBATCH --cpus-per-task=1\n"
        << "#SBATCH --output=synapse-" << grid.name << "-%A_%a.out\n"
        << "set -euo pipefail\n"
        << exe << " experiment run --config " << config << " --results " << results
        << " --run \"${SLURM_ARRAY_TASK_ID:?set by Slurm}\" --threads \"${SLURM_CPUS_PER_TASK:-1}\"\n";
  }
  return kExitOk;
}

}  // namespace

Command add_experiment_command(CLI::App& root) {
  auto a = std::make_shared<ExperimentArgs>();
  CLI::App* app = root.add_subcommand("experiment", "Run grids of trainings, plan them for a cluster, report on them");
  app->require_subcommand(1);
  CLI::App* run = app->add_subcommand("run", "Run every run of a grid not yet in the results file");
  run->footer("Each finished run appends one JSON line to --results; runs already there are skipped, so an "
              "interrupted grid continues where it stopped. A bad grid (unknown model, regulariser, setting, "
              "dataset file or column) fails before any run, exit status 2.");
  run->add_option("--config", a->config, "Grid file (JSON)")->required()->check(CLI::ExistingFile);
  run->add_option("--results", a->results, "Results file (JSON Lines), appended to")->required();
  run->add_option("--jobs", a->jobs, "Runs at a time (processes)")->check(positive_integer())->capture_default_str();
  run->add_option("--run", a->run, "Only the run with this index (as `experiment plan` writes)")
      ->check(non_negative_integer());
  run->add_option("--threads", a->threads, "Threads per process (default: all, divided among --jobs)")
      ->check(positive_integer());
  run->add_option("--shard", a->shard, "Only the runs whose index is K modulo N (K/N; --jobs uses it)")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            const size_t slash = s.find('/');
            if (slash == std::string::npos || slash == 0 || slash + 1 == s.size() ||
                s.find_first_not_of("0123456789/") != std::string::npos)
              return "expected K/N";
            return std::stoll(s.substr(0, slash)) < std::stoll(s.substr(slash + 1)) ? "" : "K must be below N";
          },
          "K/N"))
      ->excludes("--run");
  CLI::App* plan = app->add_subcommand("plan", "Write a grid's runs as GNU parallel commands or a Slurm array script");
  plan->add_option("--config", a->config, "Grid file (JSON)")->required()->check(CLI::ExistingFile);
  plan->add_option("--results", a->results, "Results file the runs append to")->required();
  plan->add_option("--format", a->format, "parallel (one command per line) or slurm (a job-array script)")
      ->check(CLI::IsMember({"parallel", "slurm"}))
      ->capture_default_str();
  plan->add_option("--out", a->out, "Write to this file instead of stdout");
  CLI::App* report = app->add_subcommand("report", "Tables, statistics and plots from results files");
  report->add_option("results", a->inputs, "Results files (JSON Lines); their union is reported")
      ->required()
      ->check(CLI::ExistingFile);
  report->add_option("--out", a->out, "Output directory")->required();
  return {app, [a, run, plan] {
            if (run->parsed()) return run_experiment(*a);
            if (plan->parsed()) return plan_experiment(*a);
            return write_experiment_report(a->inputs, a->out);
          }};
}

}  // namespace syn::apps
