#include "json_report.hpp"

#include <cmath>

namespace syn::apps {

nlohmann::json json_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json metrics_json(const forecast::Metrics& m, const train::Prediction& p,
                            const forecast::Scaler& scaler) {
  nlohmann::json j = {{"mae", json_number(m.mae)},
                      {"mse", json_number(m.mse)},
                      {"rmse", json_number(m.rmse)},
                      {"mape", json_number(m.mape)},
                      {"smape", json_number(m.smape)},
                      {"mase", json_number(m.mase)},
                      {"count", m.count},
                      {"mape_skipped", m.mape_skipped}};
  if (p.spread.defined() && p.spread.numel() > 0) {
    double sum = 0;
    for (float s : p.spread.to_vector()) sum += s;
    j["mc_samples"] = p.samples;
    j["mc_spread"] = json_number(sum / static_cast<double>(p.spread.numel()) * scaler.state().scale.at(0));
  }
  return j;
}

nlohmann::json training_json(const train::TrainResult& r) {
  return {{"epochs", r.history.size()},
          {"best_epoch", r.best_epoch},
          {"best_val_loss", json_number(r.best_val_loss)},
          {"kept_epoch", r.kept_epoch},
          {"stop_reason", std::string(train::stop_reason_name(r.stop_reason))},
          {"message", r.message},
          {"skipped_batches", r.skipped_batches},
          {"resumed_after", r.resumed_after},
          {"seconds", r.seconds}};
}

}  // namespace syn::apps
