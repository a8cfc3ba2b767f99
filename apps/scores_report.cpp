#include "scores_report.hpp"

#include <cstdio>

#include "json_report.hpp"

namespace syn::apps {

Scores score_against_baselines(const forecast::ForecastData& d, const forecast::Metrics& metrics,
                               const nn::ModelConfig& config, int64_t season, const train::TrainResult* result) {
  Scores s;
  s.metrics = metrics;
  s.mase_scale = d.naive_mae;
  s.baselines = train::compare_with_baselines(d, d.test, metrics, season, d.split.train);
  s.warnings = train::result_warnings(s.baselines, metrics, d, config, result);
  return s;
}

void report_scores(const RunOptions& o, const Scores& s, const std::string& part) {
  const train::BaselineComparison& b = s.baselines;
  o.info("%s: MAE %.6g  RMSE %.6g  sMAPE %.4g  MASE %.4g", part.c_str(), s.metrics.mae, s.metrics.rmse,
         s.metrics.smape, s.metrics.mase);
  o.info("  naive (last value):   MAE %.6g  RMSE %.6g  MASE %.4g   mae_vs_naive %.4g (< 1: the model is better)",
         b.naive.mae, b.naive.rmse, b.naive.mase, b.mae_vs_naive);
  if (b.seasonal_naive)
    o.info("  seasonal naive (%lld):  MAE %.6g  RMSE %.6g  MASE %.4g   mae_vs_seasonal_naive %.4g",
           static_cast<long long>(b.season), b.seasonal_naive->mae, b.seasonal_naive->rmse, b.seasonal_naive->mase,
           *b.mae_vs_seasonal_naive);
  else
    o.info("  seasonal naive: %s", b.season_from.c_str());
  o.info("  MASE = MAE / %.6g, the one-step naive MAE of the %s part (the naive forecast's own MASE above "
         "is what 'as good as naive' scores here)",
         s.mase_scale, s.mase_part == "train" ? "training" : "whole");
  for (const std::string& w : s.warnings) warn(w);
}

void add_scores_json(nlohmann::json& out, const Scores& s, const train::Prediction& p, const forecast::Scaler& scaler) {
  const train::BaselineComparison& b = s.baselines;
  nlohmann::json m = metrics_json(s.metrics, p, scaler);
  m["mae_vs_naive"] = json_number(b.mae_vs_naive);
  m["mae_vs_seasonal_naive"] = b.mae_vs_seasonal_naive ? json_number(*b.mae_vs_seasonal_naive) : nlohmann::json();
  m["mase_scale"] = {{"naive_one_step_mae", json_number(s.mase_scale)}, {"part", s.mase_part}};
  out["metrics"] = m;
  const train::Prediction none;
  out["baselines"] = {
      {"naive", metrics_json(b.naive, none, scaler)},
      {"seasonal_naive", b.seasonal_naive ? metrics_json(*b.seasonal_naive, none, scaler) : nlohmann::json()},
      {"season", b.season},
      {"season_from", b.season_from},
      {"outside_training_range", json_number(b.outside_training_range)}};
  out["warnings"] = s.warnings;
}

}  // namespace syn::apps
