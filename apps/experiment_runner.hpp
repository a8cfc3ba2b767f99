#pragma once
// The runs of an experiment grid (forecast/experiment_grid.hpp) on the library's training path
// (train/training_run.hpp): each run's data, model config, trainer options and pruning built from its
// settings, trained in this process, and written to the results file as one JSON line
// (Note [Results files]).
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "synapse/forecast/experiment_grid.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/train/data_settings.hpp"

namespace syn::apps {

// A grid dataset read once: its series (target first, then the features) and the settings it was read with.
struct GridDataset {
  forecast::Series series;
  train::DataSettings settings;
};
using GridDatasets = std::map<std::string, GridDataset>;  // by the dataset's name

// Reads every dataset of the grid and builds (without training) every run's model, options and
// pruning, so that a bad grid fails before any run starts. ValueError naming the grid entry: the
// dataset and its column, the run and its setting.
GridDatasets prepare_grid(const forecast::ExperimentGrid& grid);

// Trains one run and returns its results line: {"key", "grid", "settings", "metrics", "training",
// "sparsity", "sparsity_curve" (per epoch, pruned runs), "steps", "step_seconds" (mean wall time of a
// training step, validation excluded), "seconds", "parameters", "test_windows", "forecast" (the last
// kForecastTail one-step test forecasts and actual values, original units), "finished" (UTC time)}.
nlohmann::json execute_run(const forecast::ExperimentGrid& grid, const forecast::RunSpec& run,
                           const GridDataset& data);

inline constexpr int64_t kForecastTail = 200;

}  // namespace syn::apps
