#pragma once
// The JSON objects the subcommands print on stdout. NaN and infinities become null.
#include <nlohmann/json.hpp>

#include "synapse/forecast/metrics.hpp"
#include "synapse/forecast/scaler.hpp"
#include "synapse/train/prediction.hpp"
#include "synapse/train/trainer.hpp"

namespace syn::apps {

// {"mae", "mse", "rmse", "mape", "smape", "mase", "count", "mape_skipped"}, plus "mc_samples" and
// "mc_spread" (the mean standard deviation of the MC-dropout passes, in original units) when the
// prediction has a spread.
nlohmann::json metrics_json(const forecast::Metrics& m, const train::Prediction& p,
                            const forecast::Scaler& scaler);

// {"epochs", "best_epoch", "best_val_loss", "kept_epoch", "stop_reason", "message", "seconds"}
nlohmann::json training_json(const train::TrainResult& r);

// A double, or null when it is not finite.
nlohmann::json json_number(double v);

}  // namespace syn::apps
