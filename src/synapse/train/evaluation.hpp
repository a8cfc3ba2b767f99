#pragma once
// evaluate: scores a trained model on a series read with its checkpoint's DataSettings. The saved
// scaler is used as it is (never refitted), so evaluating on the training file reproduces the test
// metrics of `synapse train` exactly.
#include <cstdint>
#include <string_view>

#include "synapse/forecast/forecast_data.hpp"
#include "synapse/forecast/metrics.hpp"
#include "synapse/nn/forecaster.hpp"
#include "synapse/train/data_settings.hpp"
#include "synapse/train/prediction.hpp"

namespace syn::train {

enum class EvalPart {
  test,  // the test part of the settings' protocol split; MASE scaled by the naive MAE of its train part
  all,   // every window of the series; MASE scaled by the naive MAE of the whole series
};
EvalPart eval_part_from_name(std::string_view name);  // "test" | "all"

struct Evaluation {
  forecast::ForecastData data;  // data.test holds the scored windows
  Prediction prediction;        // scaled units
  forecast::Metrics metrics;    // original units
};

// ValueError naming the series' source when its columns do not match the settings' scaler or it is
// too short for one window.
// data.split.train holds the rows MASE is scaled by (every row for EvalPart::all). `progress` follows
// the MC-dropout passes (predict).
Evaluation evaluate(nn::Forecaster& model, forecast::Series series, const DataSettings& settings,
                    EvalPart part, const PredictProgress& progress = {});

}  // namespace syn::train
