#include "synapse/train/evaluation.hpp"

#include "synapse/core/error.hpp"

namespace syn::train {

EvalPart eval_part_from_name(std::string_view name) {
  if (name == "test") return EvalPart::test;
  if (name == "all") return EvalPart::all;
  throw ValueError(detail::concat("evaluation part '", name, "' is unknown (expected test or all)"));
}

Evaluation evaluate(nn::Forecaster& model, forecast::Series series, const DataSettings& settings,
                    EvalPart part, const PredictProgress& progress) {
  const nn::ModelConfig& config = model.config();
  const std::string source = series.source;
  SYN_CHECK_T(ValueError, series.cols() == config.input_size, source, ": ", series.cols(),
              " input columns, the model expects ", config.input_size);
  SYN_CHECK_T(ValueError, series.rows() >= config.lookback + config.horizon, source, ": ", series.rows(),
              " rows (after missing-value handling) are fewer than lookback ", config.lookback, " + horizon ",
              config.horizon);
  Evaluation ev;
  forecast::ForecastData& d = ev.data;
  try {
    d = forecast::ForecastData::of(std::move(series), settings.transform);
    d.scaler = forecast::Scaler(settings.scaler);
    std::vector<double> scaled = d.series.values;
    d.scaler.transform(scaled);
    const forecast::WindowSpec spec{config.lookback, config.horizon};
    const int64_t rows = d.series.rows(), cols = d.series.cols();
    forecast::RowRange naive_rows{0, rows};
    if (part == EvalPart::test) {
      d.split = forecast::split_rows(rows, settings.protocol);
      d.test = forecast::make_windows(scaled, cols, d.split.test, "test", spec);
      naive_rows = d.split.train;
    } else {
      d.test = forecast::make_windows(scaled, cols, naive_rows, "all", spec);
    }
    d.split.train = naive_rows;
    d.naive_mae = forecast::naive_one_step_mae(std::span(d.levels).subspan(
        static_cast<size_t>(naive_rows.begin), static_cast<size_t>(naive_rows.size())));
  } catch (const ValueError& e) {
    throw ValueError(detail::concat(source, ": ", e.what()));
  }
  ev.prediction = predict(model, d.test.inputs, kPredictBatch, progress);
  ev.metrics = d.score(ev.prediction.mean, d.test);
  return ev;
}

}  // namespace syn::train
