// synapse eval: score a saved model on a CSV file (metrics JSON on stdout).
#include <iostream>
#include <memory>

#include "command.hpp"
#include "json_report.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/evaluation.hpp"

namespace syn::apps {
namespace {

struct EvalArgs {
  std::string model_file, data, kind, part = "test";
};

int run_eval(const EvalArgs& a) {
  const train::Checkpoint c = train::load_checkpoint(a.model_file, a.kind);
  const auto model = train::restore_model(c, a.model_file);
  const train::Evaluation ev =
      train::evaluate(*model, train::read_series(a.data, c.data), c.data, train::eval_part_from_name(a.part));
  const nlohmann::json out = {{"command", "eval"},
                              {"model_file", a.model_file},
                              {"data", a.data},
                              {"model", c.config.kind},
                              {"part", a.part},
                              {"windows", ev.data.test.count()},
                              {"metrics", metrics_json(ev.metrics, ev.prediction, ev.data.scaler)}};
  std::cout << out.dump() << std::endl;
  return kExitOk;
}

}  // namespace

Command add_eval_command(CLI::App& root) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* app = root.add_subcommand("eval", "Score a saved model on a CSV file");
  app->footer(
      "The file is read, split and scaled as the model was trained (the saved settings and scaler). Prints "
      "the "
      "metrics in original units as one JSON object. Exit status: 0 success, 2 bad usage or input.");
  app->add_option("--model-file", a->model_file, "Checkpoint written by synapse train")->required();
  app->add_option("--data", a->data, "CSV file with the training file's columns")
      ->required()
      ->check(CLI::ExistingFile);
  app->add_option("--part", a->part, "test: the protocol's test part; all: every window of the file")
      ->check(CLI::IsMember({"test", "all"}))
      ->capture_default_str();
  app->add_option("--model", a->kind, "Refuse a checkpoint of another model kind");
  return {app, [a] { return run_eval(*a); }};
}

}  // namespace syn::apps
