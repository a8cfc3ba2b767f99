#pragma once
// ExperimentGrid: a JSON file describing many training runs (Note [Experiment grids]), expanded into
// one RunSpec per run. Only names are checked here (models, regularisers, setting keys, dataset files);
// reading the datasets and building each run is the experiment runner's job (apps/experiment_runner).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace syn::forecast {

// Note [Experiment grids]
// A grid file is one JSON object:
//   "name":         text, for reports
//   "datasets":     [{"name", "file", "target", optional "features" (a list; default every numeric
//                    column but the target, as the study), "ignore", "na" (numeric missing-value
//                    sentinels), "na_markers", "missing" (fail|drop|ffill)}]
//   "models":       model kinds (rnn, lstm, gru, patchtst, paper-patchtst, linear)
//   "regularisers": names from regulariser_presets() or objects {"name", settings...} defining new ones
//   "lookbacks", "seeds", "protocols" (clean|paper): lists
//   "settings":     fixed settings for every run (kExperimentSettingKeys)
//   "axes":         {"key": [values]} — any setting as one more axis, e.g. "final_sparsity"
// A run's settings are, later ones winning: the study's defaults (kStudyDefaults), the regulariser's
// preset, "settings", the axes' values. Pruning settings are dropped from runs whose regulariser does not
// prune, and runs whose settings come out equal are kept once (a sparsity axis does not repeat the
// dense runs). A dataset file is looked up as given, then beside the grid file, then in the data
// directory (Note [Data directory]). The order of runs: datasets, models, regularisers, lookbacks,
// seeds, protocols, then the axes in key order, the last varying fastest.
// A run's key is its settings object dumped with sorted keys: the results file is matched on it.

// The most runs one grid may expand to (before equal runs are merged): a bigger grid is refused, not
// expanded into memory.
inline constexpr int64_t kMaxGridRuns = 100000;

// Setting keys a grid may give in "settings" or "axes" (the model's own keys go through
// nn::ModelConfig::from_map in the runner, which rejects the unknown ones).
extern const std::vector<std::string> kExperimentSettingKeys;
// The pruning keys among them (dropped from runs that do not prune).
extern const std::vector<std::string> kPruningSettingKeys;
// epochs 20, batch 64, lr 1e-3, horizon 1, dropout 0.3, hidden_size 64, num_layers 1 (the study).
nlohmann::json study_defaults();

// Built-in regularisers: none, dropout, mc-dropout, pruning (the study: paper_ramp, global, magnitude),
// pruning-zhu-gupta (zhu_gupta from 0, global), gmp-per-tensor (zhu_gupta from 0, per-tensor: classic
// gradual magnitude pruning), random-pruning (paper_ramp, global, random scores: a control). Each maps
// to settings with "reg" = none | dropout | mc-dropout | pruning.
const nlohmann::json& regulariser_presets();

struct RunSpec {
  int64_t index = 0;         // position in the expanded grid
  nlohmann::json settings;   // flat object: dataset, data, target, model, regulariser, lookback, seed, ...
  std::string key;           // settings.dump()
  std::filesystem::path data_path;  // settings["data"] resolved (resolve_dataset_file)
  std::string label() const; // "bitcoin lstm pruning lookback 7 seed 42 clean" (+ axes)
};

struct ExperimentGrid {
  std::string name;
  std::filesystem::path file;  // the grid file
  std::vector<std::string> axis_keys;  // the keys of "axes", sorted
  std::vector<RunSpec> runs;

  // ValueError naming the file and the entry: not an object, a "name" that is not text, a missing or
  // empty list, an unknown model, regulariser, protocol or setting key, a dataset without name, file
  // or target, or whose file is found nowhere, more than kMaxGridRuns runs.
  static ExperimentGrid load(const std::filesystem::path& file);
  static ExperimentGrid parse(const nlohmann::json& grid, const std::filesystem::path& file);
};

// Resolves a dataset file as Note [Experiment grids] says; ValueError listing the places tried.
std::filesystem::path resolve_dataset_file(const std::string& file, const std::filesystem::path& grid_dir);

}  // namespace syn::forecast
