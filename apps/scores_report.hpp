#pragma once
// The test scores of train and eval beside the baselines (Note [Honest results]): the JSON fields,
// the lines on stderr and the warnings.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run_options.hpp"
#include "synapse/forecast/forecast_data.hpp"
#include "synapse/train/baseline_comparison.hpp"
#include "synapse/train/prediction.hpp"

namespace syn::apps {

struct Scores {
  forecast::Metrics metrics;
  train::BaselineComparison baselines;
  std::vector<std::string> warnings;
  double mase_scale = 0;         // the one-step naive MAE of the MASE part
  std::string mase_part = "train";  // "train", or "all" for eval --part all
};

// The model's metrics on `d.test` compared with the baselines; `result` adds training's checks.
Scores score_against_baselines(const forecast::ForecastData& d, const forecast::Metrics& metrics,
                               const nn::ModelConfig& config, int64_t season,
                               const train::TrainResult* result = nullptr);

// Scores and warnings on stderr (the warnings even with --quiet); `part` names what was scored.
void report_scores(const RunOptions& o, const Scores& s, const std::string& part);

// Adds "metrics" (metrics_json with mae_vs_naive, mae_vs_seasonal_naive and mase_scale),
// "baselines" and "warnings" to `out`.
void add_scores_json(nlohmann::json& out, const Scores& s, const train::Prediction& p, const forecast::Scaler& scaler);

}  // namespace syn::apps
