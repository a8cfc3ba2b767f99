#pragma once
// DataSettings: how a model's data was read, selected, split and scaled — saved in the checkpoint so
// that eval and predict read new data exactly the same way. (Lookback and horizon live in the
// model's ModelConfig, which the checkpoint saves as well.)
#include <string>
#include <string_view>
#include <vector>

#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/protocol.hpp"
#include "synapse/forecast/scaler.hpp"
#include "synapse/forecast/selection.hpp"
#include "synapse/forecast/series.hpp"
#include "synapse/forecast/target_transform.hpp"

namespace syn::train {

struct DataSettings {
  // Reading the CSV.
  std::vector<std::string> ignore;      // columns skipped
  std::vector<double> na_values;        // numeric missing-value sentinels, e.g. -200
  std::vector<std::string> na_markers;  // extra text missing-value markers
  // Selection: input column 0 is the target, then the features in this order.
  std::string target;
  std::vector<std::string> features;
  forecast::MissingPolicy missing = forecast::MissingPolicy::fail;
  // Split and scaling. scaler.kind is chosen before training, the rest is the fitted state.
  forecast::Protocol protocol;
  forecast::ScalerState scaler;
  // What the model forecasts (Note [Target transforms]); the scaler is fitted on the transformed series.
  forecast::TargetTransform transform = forecast::TargetTransform::none;

  forecast::CsvOptions csv_options() const;
  forecast::Selection selection() const;
};

// read_csv + select_series under `settings`.
forecast::Series read_series(const std::string& path, const DataSettings& settings);

// "fail" | "drop" | "ffill"; from_name also accepts "drop_rows" and "forward_fill".
std::string_view missing_policy_name(forecast::MissingPolicy policy);
forecast::MissingPolicy missing_policy_from_name(std::string_view name);

}  // namespace syn::train
