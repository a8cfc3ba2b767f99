// Train an LSTM forecaster with synaptic pruning (80 % of the weights removed during training) on one
// column of a CSV file, report its test error and save a checkpoint for forecast_csv / serve_threads.
//   train_pruned_lstm DATA.csv TARGET OUT.syn
// Uses the engine headers (synapse/train, synapse/pruning); see docs/api.md.
#include <cstdio>

#include "synapse/train/checkpoint.hpp"
#include "synapse/train/pruning_callback.hpp"
#include "synapse/train/training_run.hpp"

int main(int argc, char** argv) {
  using namespace syn;
  if (argc != 4) return std::fprintf(stderr, "usage: train_pruned_lstm DATA.csv TARGET OUT.syn\n"), 2;
  train::DataSettings data;  // protocol clean: 70/10/20 split, scaler fitted on the training part
  data.target = argv[2];
  nn::ModelConfig config;
  config.kind = "lstm", config.lookback = 24, config.horizon = 6, config.hidden_size = 16, config.reg = "pruning";
  train::TrainingRun run = train::prepare_training(train::read_series(argv[1], data), config, data);
  pruning::Schedule schedule{.final_sparsity = 0.8, .begin = {1}, .end = {4}, .frequency = 5};  // Zhu-Gupta
  train::PruningCallback pruning(pruning::Pruner(*run.model, {}), schedule);
  train::TrainerOptions options;
  options.epochs = 5, options.progress = train::ProgressMode::never, options.callbacks = {&pruning};
  options.early_stopping = train::EarlyStopping::off();  // keep the last, most pruned epoch
  train::train_and_score(run, options);
  train::save_checkpoint(argv[3], train::make_checkpoint(*run.model, run.settings));
  std::printf("test MAE %.4f over %lld windows, sparsity %.2f after %lld mask updates, saved %s\n",
              run.test_metrics.mae, static_cast<long long>(run.test_windows()), pruning.pruner().sparsity(),
              static_cast<long long>(pruning.updates()), argv[3]);
}
