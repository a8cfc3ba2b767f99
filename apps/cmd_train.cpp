// synapse train: read a CSV, train a forecaster, save it, print the test metrics as JSON.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli_values.hpp"
#include "command.hpp"
#include "json_report.hpp"
#include "prune_args.hpp"
#include "resume_args.hpp"
#include "synapse/core/error.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/training_run.hpp"
#include "synapse/train/weights_text.hpp"

namespace syn::apps {
namespace {

struct TrainArgs {
  std::string data, target, missing = "fail", model, reg, protocol = "clean", scaler = "standard";
  std::vector<std::string> features, ignore, na, model_opts;
  std::string out, log, loss = "mse", optimizer = "adam", init_weights;
  nn::ModelConfig config;
  train::TrainerOptions trainer;
  int64_t patience = 0;
  bool no_progress = false, no_shuffle = false, no_early_stopping = false;
  PruneArgs prune;
  ResumeArgs resume;
};

// ModelConfig from the model flags and --model-opt KEY=VALUE pairs (which take any config key).
nn::ModelConfig model_config(const TrainArgs& a) {
  std::map<std::string, std::string> values = a.config.to_map();
  values["kind"] = a.model;
  values["reg"] = a.reg;
  for (const std::string& kv : a.model_opts) {
    const size_t eq = kv.find('=');
    SYN_CHECK_T(ValueError, eq != std::string::npos && eq > 0, "--model-opt: expected KEY=VALUE, got '", kv,
                "'");
    const std::string key = kv.substr(0, eq);
    SYN_CHECK_T(ValueError, key != "kind" && key != "input_size", "--model-opt: set '", key,
                "' with its own option (--model) or not at all (input_size follows the data)");
    values[key] = kv.substr(eq + 1);
  }
  try {
    return nn::ModelConfig::from_map(values);
  } catch (const ValueError& e) {
    throw ValueError(detail::concat("--model-opt: ", e.what()));
  }
}

forecast::Series read_data(const std::string& path, const train::DataSettings& settings) {
  try {
    return train::read_series(path, settings);
  } catch (const ValueError& e) {
    throw ValueError(detail::concat(e.what(),
                                    "\n(options: --ignore COLS skips columns, --na VALUES adds missing-value "
                                    "markers, --missing drop|ffill handles missing values)"));
  }
}

// The pruning callback of a --reg pruning run, its log opened on `log`.
std::unique_ptr<train::PruningCallback> make_pruning(const TrainArgs& a, const pruning::Schedule& schedule,
                                                     const nn::Forecaster& model, std::ofstream& log) {
  std::unique_ptr<pruning::Pruner> pruner;
  try {
    pruner = std::make_unique<pruning::Pruner>(model, pruner_options(a.prune, model.config().seed));
  } catch (const ValueError& e) {
    throw ValueError(detail::concat("--prune-include/--prune-exclude: ", e.what()));
  }
  train::PruningCallbackOptions options;
  options.warn = [](const std::string& w) { std::fprintf(stderr, "warning: %s\n", w.c_str()); };
  if (!a.prune.log.empty()) {
    log.open(a.prune.log, a.resume.resume.empty() ? std::ios::trunc : std::ios::app);
    SYN_CHECK_T(ValueError, log.good(), "--prune-log: cannot write '", a.prune.log, "'");
    options.log = &log;
  }
  int64_t weights = 0;
  std::string names;
  for (const auto& [name, w] : pruner->tensors()) {
    weights += w.numel();
    names += (names.empty() ? "" : ", ") + name;
  }
  std::fprintf(stderr, "pruning: %s; %s scope, %s score, %s granularity; %zu tensors, %lld weights (%s)\n",
               schedule.describe().c_str(), a.prune.scope.c_str(), a.prune.score.c_str(),
               a.prune.granularity.c_str(), pruner->tensors().size(), static_cast<long long>(weights),
               names.c_str());
  return std::make_unique<train::PruningCallback>(std::move(*pruner), schedule, std::move(options));
}

// Every file train writes can be created: checked before any work (the data is not even read yet).
void check_output_paths(const TrainArgs& a) {
  train::check_writable(a.out, "--out");
  if (!a.log.empty()) train::check_writable(a.log, "--log");
  if (!a.prune.log.empty()) train::check_writable(a.prune.log, "--prune-log");
  if (const std::string state = checkpoint_file(a.resume, a.out); !state.empty())
    train::check_writable(state, "--checkpoint-file");
}

int run_train(const TrainArgs& a) {
  train::DataSettings settings;
  settings.target = a.target;
  settings.features = a.features;
  settings.ignore = a.ignore;
  const MissingMarkers na = split_missing_markers(a.na);
  settings.na_values = na.values;
  settings.na_markers = na.markers;
  settings.missing = train::missing_policy_from_name(a.missing);
  settings.protocol = forecast::Protocol::from_name(a.protocol);
  settings.scaler.kind = forecast::scaler_from_name(a.scaler);

  nn::ModelConfig config = model_config(a);
  check_prune_options_need_pruning(a.prune, config.pruning());
  train::TrainerOptions options = a.trainer;
  options.seed = config.seed;
  options.loss = train::loss_from_name(a.loss);
  options.optimizer = train::optimizer_from_name(a.optimizer);
  options.early_stopping = a.no_early_stopping
                               ? train::EarlyStopping::off()
                               : train::EarlyStopping::for_protocol(settings.protocol, a.patience);
  options.shuffle = !a.no_shuffle;
  options.progress = a.no_progress ? train::ProgressMode::never : train::ProgressMode::automatic;
  options.validate();
  check_output_paths(a);
  std::unique_ptr<train::TrainState> resume_state;
  apply_resume_args(a.resume, a.out, options, resume_state);
  std::ofstream log;
  if (!a.log.empty()) {
    log.open(a.log, resume_state ? std::ios::app : std::ios::trunc);
    SYN_CHECK_T(ValueError, log.good(), "--log: cannot write '", a.log, "'");
    options.log = &log;
  }
  const pruning::Schedule schedule =
      config.pruning() ? prune_schedule(a.prune, config.kind, options.epochs) : pruning::Schedule{};

  train::TrainingRun run = train::prepare_training(read_data(a.data, settings), config, settings);
  std::fprintf(stderr, "%s\n", settings.protocol.describe().c_str());
  std::fprintf(stderr, "data: %s, target '%s'%s; %s\n", a.data.c_str(), run.settings.target.c_str(),
               run.settings.features.empty()
                   ? ""
                   : detail::concat(" + ", run.settings.features.size(), " features").c_str(),
               run.data.split.describe().c_str());
  std::fprintf(stderr,
               "model: %s, %lld parameters, lookback %lld, horizon %lld, reg %s; %lld training windows\n",
               run.model->config().kind.c_str(), static_cast<long long>(run.model->num_parameters()),
               static_cast<long long>(config.lookback), static_cast<long long>(config.horizon),
               config.reg.c_str(), static_cast<long long>(run.data.train.count()));
  if (!a.init_weights.empty()) {
    train::load_weights_text(*run.model, a.init_weights);
    std::fprintf(stderr, "initial weights from %s\n", a.init_weights.c_str());
  }
  std::ofstream prune_log;
  std::unique_ptr<train::PruningCallback> pruning;
  if (config.pruning()) {
    pruning = make_pruning(a, schedule, *run.model, prune_log);
    options.callbacks.push_back(pruning.get());
  }
  options.interrupt = stop_on_interrupt();
  train::train_and_score(run, options);
  std::fprintf(stderr, "%s (%.2fs); weights of epoch %lld kept\n", run.result.message.c_str(),
               run.result.seconds, static_cast<long long>(run.result.kept_epoch));
  // Over the pruned tensors, or the weight matrices a default pruner would take.
  const double sparsity = pruning ? pruning->pruner().sparsity() : pruning::Pruner(*run.model, {}).sparsity();
  if (pruning) {
    const auto& last = pruning->last_report();
    std::fprintf(stderr, "pruning: %lld mask updates%s; the kept weights (epoch %lld) have sparsity %.4f\n",
                 static_cast<long long>(pruning->updates()),
                 last ? detail::concat(", the last at epoch ", last->epoch, " reached ", last->achieved).c_str() : "",
                 static_cast<long long>(run.result.kept_epoch), sparsity);
  }
  train::save_checkpoint(a.out, train::make_checkpoint(*run.model, run.settings));
  std::fprintf(stderr, "saved %s\n", a.out.c_str());

  const nlohmann::json out = {
      {"command", "train"},
      {"data", a.data},
      {"target", run.settings.target},
      {"features", run.settings.features},
      {"model", config.kind},
      {"reg", config.reg},
      {"protocol", settings.protocol.name()},
      {"lookback", config.lookback},
      {"horizon", config.horizon},
      {"parameters", run.model->num_parameters()},
      {"loss", std::string(train::loss_name(options.loss))},
      {"optimizer", std::string(train::optimizer_name(options.optimizer))},
      {"test_windows", run.test_windows()},
      {"metrics", metrics_json(run.test_metrics, run.test_prediction, run.data.scaler)},
      {"training", training_json(run.result)},
      {"init_weights", a.init_weights.empty() ? nlohmann::json() : nlohmann::json(a.init_weights)},
      {"sparsity", sparsity},
      {"pruning", pruning ? pruning_json(a.prune, *pruning) : nlohmann::json()},
      {"model_file", a.out}};
  std::cout << out.dump() << std::endl;
  return run.result.stop_reason == train::StopReason::interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace

Command add_train_command(CLI::App& root) {
  auto a = std::make_shared<TrainArgs>();
  a->reg = a->config.reg;
  CLI::App* app = root.add_subcommand("train", "Train a forecaster on a CSV file and save it");
  app->footer(
      "--config FILE.json gives any of these options as keys of a JSON object (flags override it). "
      "Prints the protocol and progress on stderr and the test metrics (original units) as one JSON object "
      "on "
      "stdout. Exit status: 0 success, 2 bad usage or input (the reason names the file and column, line, "
      "option or field), 1 other failures.");
  app->add_option("--data", a->data, "CSV file")->required()->check(CLI::ExistingFile);
  app->add_option("--target", a->target, "Column to forecast")->required();
  app->add_option("--features", a->features, "Extra input columns, comma-separated")->delimiter(',');
  app->add_option("--ignore", a->ignore, "Columns to skip (e.g. text columns), comma-separated")
      ->delimiter(',');
  app->add_option("--missing", a->missing, "Rows with a missing value: fail, drop or ffill (forward fill)")
      ->check(CLI::IsMember({"fail", "drop", "ffill"}))
      ->capture_default_str();
  app->add_option("--na", a->na,
                  "Extra missing-value markers, comma-separated (numbers such as -200 match numerically)")
      ->delimiter(',');
  app->add_option("--model", a->model, "Model kind: rnn, lstm, gru, patchtst, paper-patchtst or linear")
      ->required()
      ->check(CLI::IsMember({"rnn", "lstm", "gru", "patchtst", "paper-patchtst", "linear"}));
  app->add_option("--lookback", a->config.lookback, "Input window length (rows)")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--horizon", a->config.horizon, "Forecast horizon (rows)")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--reg", a->reg,
                  "Regularisation: none, dropout, mc-dropout, pruning (synaptic pruning during training, "
                  "see the Pruning options) or pruning+dropout (both, the study's transformer setting)")
      ->check(CLI::IsMember({"none", "dropout", "mc-dropout", "pruning", "pruning+dropout"}))
      ->capture_default_str();
  app->add_option("--dropout", a->config.dropout, "Dropout probability in [0, 1)")
      ->check(probability())
      ->capture_default_str();
  app->add_option("--mc-samples", a->config.mc_samples, "MC-dropout passes averaged at prediction")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--model-opt", a->model_opts,
                  "Any model setting as KEY=VALUE, e.g. hidden_size=32 (repeatable)");
  app->add_option("--epochs", a->trainer.epochs, "Maximum epochs")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--batch", a->trainer.batch_size, "Batch size")
      ->check(positive_integer())
      ->capture_default_str();
  app->add_option("--lr", a->trainer.lr, "Learning rate")->check(positive_number())->capture_default_str();
  app->add_option("--optimizer", a->optimizer, "adam, adamw or sgd")
      ->check(CLI::IsMember({"adam", "adamw", "sgd"}))
      ->capture_default_str();
  app->add_option("--weight-decay", a->trainer.weight_decay, "Weight decay")
      ->check(non_negative_number())
      ->capture_default_str();
  app->add_option("--momentum", a->trainer.momentum, "SGD momentum")->check(non_negative_number());
  app->add_option("--loss", a->loss, "Training loss: mse (as the reference study) or mae")
      ->check(CLI::IsMember({"mse", "mae"}))
      ->capture_default_str();
  app->add_option("--clip", a->trainer.clip_norm, "Clip the gradient L2 norm to this (0: off)")
      ->check(non_negative_number())
      ->capture_default_str();
  app->add_option("--seed", a->config.seed, "Seed of initialisation, dropout and shuffling")
      ->check(non_negative_integer())
      ->capture_default_str();
  app->add_option("--protocol", a->protocol, "clean (train/val/test, scaler on train) or paper (the study's)")
      ->check(CLI::IsMember({"clean", "paper"}))
      ->capture_default_str();
  app->add_option("--patience", a->patience, "Early-stopping patience in epochs (default: clean 5, paper 3)")
      ->check(positive_integer());
  app->add_flag("--no-early-stopping", a->no_early_stopping,
                "Run every epoch and keep the last epoch's model (validation loss still reported)")
      ->excludes("--patience");
  app->add_flag("--no-shuffle", a->no_shuffle, "Visit the training windows in time order every epoch");
  app->add_option("--init-weights", a->init_weights,
                  "Start from these weights instead of the seeded initialisation: named tensors in the "
                  "text format of tools/fixtures/fixture_io.py (every parameter, torch names and shapes)")
      ->check(CLI::ExistingFile);
  app->add_option("--scaler", a->scaler, "standard or minmax")
      ->check(CLI::IsMember({"standard", "minmax"}))
      ->capture_default_str();
  app->add_option("--out", a->out, "Checkpoint file to write")->required();
  app->add_option("--log", a->log, "Write one JSON line per epoch to this file");
  app->add_flag("--no-progress", a->no_progress, "No progress bar (it is shown only on a terminal anyway)");
  add_prune_options(*app, a->prune);
  add_resume_options(*app, a->resume);
  return {app, [a] { return run_train(*a); }};
}

}  // namespace syn::apps
