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
#include "run_options.hpp"
#include "scores_report.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/process_memory.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/training_run.hpp"
#include "synapse/train/weights_text.hpp"

namespace syn::apps {
namespace {

struct TrainArgs {
  std::string data, target, missing = "fail", model, reg, protocol = "clean", scaler = "standard", transform = "none";
  std::vector<std::string> features, ignore, na, model_opts;
  std::string out, log, loss = "mse", optimizer = "adam", init_weights;
  nn::ModelConfig config;
  train::TrainerOptions trainer;
  int64_t patience = 0, season = train::kDetectSeason;
  bool no_shuffle = false, no_early_stopping = false;
  RunOptions run;
  PruneArgs prune;
  ResumeArgs resume;
  // Options checked against the model they would change (check_applies).
  const CLI::Option *dropout_option = nullptr, *mc_samples_option = nullptr, *momentum_option = nullptr;
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
  nn::ModelConfig config;
  try {
    config = nn::ModelConfig::from_map(values);
  } catch (const ValueError& e) {
    throw ValueError(detail::concat("--model-opt: ", e.what()));
  }
  for (const std::string& kv : a.model_opts) {
    const std::string key = kv.substr(0, kv.find('='));
    SYN_CHECK_T(ValueError, config.applies(key), "--model-opt ", kv, " does not apply to model kind ", config.kind,
                " with --reg ", config.reg, " (it would be ignored); leave it out");
  }
  return config;
}

// Settings that would be silently ignored are errors (Note [One vocabulary]).
void check_applies(const TrainArgs& a, const nn::ModelConfig& config) {
  SYN_CHECK_T(ValueError, !a.dropout_option->count() || config.applies("dropout"), "--dropout ", config.dropout,
              " has no effect with --reg ", config.reg, ": use --reg dropout, mc-dropout or pruning+dropout");
  SYN_CHECK_T(ValueError, !a.mc_samples_option->count() || config.applies("mc_samples"), "--mc-samples ",
              config.mc_samples, " has no effect with --reg ", config.reg, ": it needs --reg mc-dropout");
  SYN_CHECK_T(ValueError, !a.momentum_option->count() || a.optimizer == "sgd", "--momentum has no effect with --optimizer ",
              a.optimizer, ": it needs --optimizer sgd");
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
  options.warn = warn;
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
  a.run.info("pruning: %s; %s scope, %s score, %s granularity; %zu tensors, %lld weights (%s)",
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
  settings.transform = forecast::transform_from_name(a.transform);
  a.run.apply();

  nn::ModelConfig config = model_config(a);
  check_applies(a, config);
  check_prune_options_need_pruning(a.prune, config.pruning());
  train::TrainerOptions options = a.trainer;
  options.seed = config.seed;
  options.loss = train::loss_from_name(a.loss);
  options.optimizer = train::optimizer_from_name(a.optimizer);
  options.early_stopping = a.no_early_stopping
                               ? train::EarlyStopping::off()
                               : train::EarlyStopping::for_protocol(settings.protocol, a.patience);
  options.shuffle = !a.no_shuffle;
  options.progress = a.run.progress() ? train::ProgressMode::automatic : train::ProgressMode::never;
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
  a.run.info("%s", settings.protocol.describe().c_str());
  a.run.info("data: %s, target '%s'%s%s; %s", a.data.c_str(), run.settings.target.c_str(),
               run.settings.features.empty()
                   ? ""
                   : detail::concat(" + ", run.settings.features.size(), " features").c_str(),
               settings.transform == forecast::TargetTransform::none
                   ? ""
                   : detail::concat(", --transform ", a.transform, " (the first row only starts the differences)").c_str(),
               run.data.split.describe().c_str());
  a.run.info("model: %s, %lld parameters, lookback %lld, horizon %lld, reg %s%s; %lld training windows",
               run.model->config().kind.c_str(), static_cast<long long>(run.model->num_parameters()),
               static_cast<long long>(config.lookback), static_cast<long long>(config.horizon),
               config.reg.c_str(), config.uses_revin() ? ", RevIN" : "", static_cast<long long>(run.data.train.count()));
  if (!a.init_weights.empty()) {
    train::load_weights_text(*run.model, a.init_weights);
    a.run.info("initial weights from %s", a.init_weights.c_str());
  }
  std::ofstream prune_log;
  std::unique_ptr<train::PruningCallback> pruning;
  if (config.pruning()) {
    pruning = make_pruning(a, schedule, *run.model, prune_log);
    options.callbacks.push_back(pruning.get());
  }
  options.interrupt = stop_on_interrupt();
  train::train_and_score(run, options);
  a.run.info("%s (%.2fs); weights of epoch %lld kept", run.result.message.c_str(),
               run.result.seconds, static_cast<long long>(run.result.kept_epoch));
  // Over the pruned tensors, or the weight matrices a default pruner would take.
  const double sparsity = pruning ? pruning->pruner().sparsity() : pruning::Pruner(*run.model, {}).sparsity();
  if (pruning) {
    const auto& last = pruning->last_report();
    a.run.info("pruning: %lld mask updates%s; the kept weights (epoch %lld) have sparsity %.4f",
                 static_cast<long long>(pruning->updates()),
                 last ? detail::concat(", the last at epoch ", last->epoch, " reached ", last->achieved).c_str() : "",
                 static_cast<long long>(run.result.kept_epoch), sparsity);
  }
  train::save_checkpoint(a.out, train::make_checkpoint(*run.model, run.settings));
  a.run.info("saved %s", a.out.c_str());
  const Scores scores = score_against_baselines(run.data, run.test_metrics, config, a.season, &run.result);
  report_scores(a.run, scores, "test");

  nlohmann::json out = {
      {"command", "train"},
      {"data", a.data},
      {"target", run.settings.target},
      {"features", run.settings.features},
      {"model", config.kind},
      {"reg", config.reg},
      {"protocol", settings.protocol.name()},
      {"transform", a.transform},
      {"revin", config.uses_revin()},
      {"lookback", config.lookback},
      {"horizon", config.horizon},
      {"parameters", run.model->num_parameters()},
      {"loss", std::string(train::loss_name(options.loss))},
      {"optimizer", std::string(train::optimizer_name(options.optimizer))},
      {"test_windows", run.test_windows()},
      {"training", training_json(run.result)},
      {"init_weights", a.init_weights.empty() ? nlohmann::json() : nlohmann::json(a.init_weights)},
      {"sparsity", sparsity},
      {"pruning", pruning ? pruning_json(a.prune, *pruning) : nlohmann::json()},
      {"model_file", a.out},
      {"peak_rss_mb", static_cast<double>(peak_resident_bytes()) / (1 << 20)}};
  add_scores_json(out, scores, run.test_prediction, run.data.scaler);
  std::cout << out.dump() << std::endl;
  return run.result.stop_reason == train::StopReason::interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace

Command add_train_command(CLI::App& root) {
  auto a = std::make_shared<TrainArgs>();
  a->reg = a->config.reg;
  CLI::App* app = root.add_subcommand("train", "Train a forecaster on a CSV file and save it");
  app->footer(
      "--config FILE.json gives any of these options as keys of a JSON object (flags override it; relative "
      "paths in it are relative to its folder). Prints the protocol, progress and the scores beside the naive "
      "and seasonal-naive forecasts on stderr, and the test metrics (original units) with the baselines, "
      "mae_vs_naive and any warnings as one JSON object on stdout. Early stopping: --protocol clean stops "
      "after --patience epochs (default 5) without a new best validation loss and keeps the best epoch's "
      "weights; --protocol paper (the study) stops when each of the last --patience epochs (default 3) "
      "had a validation loss at or above the epoch before it, and keeps the last epoch. Settings that would "
      "not change the model (--dropout with --reg none, --model-opt d_model=64 on an lstm) are errors. "
      "Exit status: 0 success, 2 bad usage or input (the reason names the file and column, line, option or "
      "field), 1 other failures.");
  app->add_option("--data", a->data, "CSV file")->required()->check(CLI::ExistingFile)->type_name("FILE");
  app->add_option("--target", a->target, "Column to forecast")->required();
  app->add_option("--features", a->features, "Extra input columns, comma-separated (default: none)")
      ->delimiter(',');
  app->add_option("--ignore", a->ignore, "Columns to skip (e.g. text columns), comma-separated (default: none)")
      ->delimiter(',');
  app->add_option("--missing", a->missing, "Rows with a missing value: fail, drop or ffill (forward fill)")
      ->check(CLI::IsMember({"fail", "drop", "ffill"}))
      ->capture_default_str();
  app->add_option("--na", a->na,
                  "Extra missing-value markers, comma-separated (numbers such as -200 match numerically; "
                  "default: none beyond empty, NA, N/A, NaN)")
      ->delimiter(',');
  app->add_option("--model", a->model, "Model kind: rnn, lstm, gru, patchtst, paper-patchtst or linear")
      ->required()
      ->check(model_kind());
  app->add_option("--transform", a->transform,
                  "What the model forecasts: none (the target), diff (its changes, for trending series) or "
                  "logdiff (its relative changes, for positive series growing exponentially); saved in the "
                  "checkpoint and undone by eval and predict")
      ->check(CLI::IsMember({"none", "diff", "logdiff"}))
      ->capture_default_str();
  app->add_option("--season", a->season,
                  "Season length in rows for the seasonal-naive baseline, 0 for none (default: detected from "
                  "the time index: hourly 24, daily 7 or 5, weekly 52, monthly 12, quarterly 4)")
      ->check(non_negative_integer());
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
  a->dropout_option = app->add_option("--dropout", a->config.dropout,
                                      "Dropout probability in [0, 1), with --reg dropout, mc-dropout or "
                                      "pruning+dropout")
                           ->check(probability())
                           ->capture_default_str();
  a->mc_samples_option = app->add_option("--mc-samples", a->config.mc_samples,
                                         "MC-dropout passes averaged at prediction, with --reg mc-dropout")
                             ->check(positive_integer())
                             ->capture_default_str();
  app->add_option("--model-opt", a->model_opts,
                  "A model setting as KEY=VALUE (repeatable), one that applies to the kind: rnn, lstm, gru: "
                  "hidden_size (64), num_layers (2), nonlinearity (rnn: tanh|relu); patchtst: patch_len (16), "
                  "stride (8), d_model (128), n_heads (16), n_layers (3), d_ff (256), norm (batch|layer), "
                  "activation (gelu|relu); every kind: revin (RevIN on each window: default true for "
                  "patchtst, false otherwise)");
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
  a->momentum_option = app->add_option("--momentum", a->trainer.momentum, "Momentum, with --optimizer sgd")
                            ->check(non_negative_number())
                            ->capture_default_str();
  app->add_option("--loss", a->loss, "Training loss: mse (as the reference study) or mae")
      ->check(CLI::IsMember({"mse", "mae"}))
      ->capture_default_str();
  app->add_option("--clip", a->trainer.clip_norm, "Clip the gradient L2 norm to this (0: off)")
      ->check(non_negative_number())
      ->capture_default_str();
  app->add_option("--seed", a->config.seed, "Seed of initialisation, dropout, MC-dropout passes and shuffling")
      ->check(non_negative_integer())
      ->capture_default_str();
  app->add_option("--protocol", a->protocol,
                  "clean (70/10/20 train/validation/test, scaler on train, early stopping on validation, best "
                  "epoch kept) or paper (the study's: 80/20, scaler on the whole series, early stopping on "
                  "the test part, last epoch kept)")
      ->check(CLI::IsMember({"clean", "paper"}))
      ->capture_default_str();
  app->add_option("--patience", a->patience,
                  "Early-stopping patience in epochs (default: clean 5: stop after 5 epochs without a new best "
                  "validation loss; paper 3: stop when each of the last 3 epochs rose above the one before)")
      ->check(positive_integer());
  app->add_flag("--no-early-stopping", a->no_early_stopping,
                "Run every epoch and keep the last epoch's model (validation loss still reported)")
      ->excludes("--patience");
  app->add_flag("--no-shuffle", a->no_shuffle, "Visit the training windows in time order every epoch");
  app->add_option("--init-weights", a->init_weights,
                  "Start from these weights (default: the seeded initialisation): named tensors in the "
                  "text format of tools/fixtures/fixture_io.py (every parameter, torch names and shapes)")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  app->add_option("--scaler", a->scaler, "standard or minmax")
      ->check(CLI::IsMember({"standard", "minmax"}))
      ->capture_default_str();
  app->add_option("--out,--model-file", a->out, "Checkpoint file to write")->required()->type_name("FILE");
  app->add_option("--log", a->log, "Write one JSON line per epoch to this file (default: none)")
      ->type_name("FILE");
  add_run_options(*app, a->run);
  add_prune_options(*app, a->prune);
  add_resume_options(*app, a->resume);
  return {app, [a] { return run_train(*a); }};
}

}  // namespace syn::apps
