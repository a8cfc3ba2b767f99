#include "synapse/forecast/forecast_data.hpp"

#include "synapse/core/error.hpp"

namespace syn::forecast {

ForecastData ForecastData::of(Series original, TargetTransform transform) {
  TransformedSeries t = transform_target(std::move(original), transform);
  ForecastData d;
  d.series = std::move(t.series);
  d.levels = std::move(t.levels);
  d.transform = transform;
  return d;
}

ForecastData ForecastData::prepare(Series original, const Protocol& protocol, ScalerKind scaler, WindowSpec spec,
                                   TargetTransform transform) {
  ForecastData d = of(std::move(original), transform);
  const Series& series = d.series;
  d.split = split_rows(series.rows(), protocol);
  d.scaler = Scaler(scaler);
  d.scaler.fit(series.values, series.cols(), d.split.scaler_fit);
  std::vector<double> scaled = series.values;
  d.scaler.transform(scaled);
  d.train = make_windows(scaled, series.cols(), d.split.train, "train", spec);
  d.test = make_windows(scaled, series.cols(), d.split.test, "test", spec);
  if (protocol.early_stopping_on_test())
    d.val = d.test;
  else if (d.split.val.size() > 0)
    d.val = make_windows(scaled, series.cols(), d.split.val, "validation", spec);
  d.naive_mae = naive_one_step_mae(std::span(d.levels).subspan(static_cast<size_t>(d.split.train.begin),
                                                               static_cast<size_t>(d.split.train.size())));
  return d;
}

// windows: N windows from first_target_row -> (N)
std::vector<double> ForecastData::origin_levels(const Windows& windows) const {
  std::vector<double> out(static_cast<size_t>(windows.count()));
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = levels.at(static_cast<size_t>(windows.first_target_row - 1) + i);
  return out;
}

std::vector<double> ForecastData::actual_levels(const Windows& windows) const {
  return window_targets(levels, series.source, windows);
}

// predictions: (N, H)  windows.targets: (N, H) -> (N·H)
std::vector<double> ForecastData::forecast_levels(const Tensor& predictions, const Windows& windows) const {
  SYN_CHECK_T(ShapeError, predictions.shape() == windows.targets.shape(), "score: predictions ",
              predictions.shape(), " vs window targets ", windows.targets.shape());
  std::vector<double> predicted(static_cast<size_t>(predictions.numel()));
  const float* p = predictions.data();
  for (size_t i = 0; i < predicted.size(); ++i) predicted[i] = scaler.inverse(p[i], 0);
  invert_forecasts(transform, predicted, windows.horizon(), origin_levels(windows));
  return predicted;
}

Metrics ForecastData::score_levels(std::span<const double> predicted, const Windows& windows) const {
  return compute_metrics(actual_levels(windows), predicted, naive_mae);
}

Metrics ForecastData::score(const Tensor& predictions, const Windows& windows) const {
  return score_levels(forecast_levels(predictions, windows), windows);
}

}  // namespace syn::forecast
