// synapse eval: score a saved model on a CSV file beside the naive baselines (metrics JSON on stdout).
#include <iostream>
#include <memory>

#include "cli_values.hpp"
#include "command.hpp"
#include "run_options.hpp"
#include "scores_report.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/evaluation.hpp"

namespace syn::apps {
namespace {

struct EvalArgs {
  std::string model_file, data, kind, part = "test";
  int64_t season = train::kDetectSeason;
  std::optional<uint64_t> seed;
  RunOptions run;
};

int run_eval(const EvalArgs& a) {
  a.run.apply();
  train::Checkpoint c = train::load_checkpoint(a.model_file, a.kind);
  if (a.seed) c.config.seed = *a.seed;
  const auto model = train::restore_model(c, a.model_file);
  const train::EvalPart part = train::eval_part_from_name(a.part);
  const train::Evaluation ev = train::evaluate(*model, train::read_series(a.data, c.data), c.data, part,
                                               mc_progress(a.run, c.config));
  Scores scores = score_against_baselines(ev.data, ev.metrics, c.config, a.season);
  if (part == train::EvalPart::all) scores.mase_part = "all";
  report_scores(a.run, scores, a.part == "test" ? "test part" : "every window");
  nlohmann::json out = {{"command", "eval"},
                        {"model_file", a.model_file},
                        {"data", a.data},
                        {"model", c.config.kind},
                        {"transform", std::string(forecast::transform_name(c.data.transform))},
                        {"part", a.part},
                        {"windows", ev.data.test.count()}};
  add_scores_json(out, scores, ev.prediction, ev.data.scaler);
  std::cout << out.dump() << std::endl;
  return kExitOk;
}

}  // namespace

Command add_eval_command(CLI::App& root) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* app = root.add_subcommand("eval", "Score a saved model on a CSV file beside the naive forecasts");
  app->footer(
      "The file is read, transformed, split and scaled as the model was trained (the saved settings and "
      "scaler). Prints the scores beside the naive and seasonal-naive forecasts and any warnings on stderr, "
      "and the metrics in original units with the baselines as one JSON object on stdout; on the training "
      "file it reproduces train's test metrics exactly (MC dropout included). Exit status: 0 success, 2 bad "
      "usage or input.");
  add_model_file(*app, a->model_file);
  app->add_option("--data", a->data, "CSV file with the training file's columns")
      ->required()
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  app->add_option("--part", a->part, "test: the protocol's test part; all: every window of the file")
      ->check(CLI::IsMember({"test", "all"}))
      ->capture_default_str();
  add_kind_check(*app, a->kind);
  app->add_option("--season", a->season,
                  "Season length for the seasonal-naive baseline, 0 for none (default: detected from the time "
                  "index)")
      ->check(non_negative_integer());
  app->add_option("--seed", a->seed, "Seed of the MC-dropout passes (default: the checkpoint's)");
  add_run_options(*app, a->run);
  return {app, [a] { return run_eval(*a); }};
}

}  // namespace syn::apps
