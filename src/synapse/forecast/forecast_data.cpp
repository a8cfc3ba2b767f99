#include "synapse/forecast/forecast_data.hpp"

#include "synapse/core/error.hpp"

namespace syn::forecast {

ForecastData ForecastData::prepare(Series series, const Protocol& protocol, ScalerKind scaler,
                                   WindowSpec spec) {
  ForecastData d;
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
  const std::vector<double> target = series.column(0);
  d.naive_mae = naive_one_step_mae(std::span(target).subspan(static_cast<size_t>(d.split.train.begin),
                                                             static_cast<size_t>(d.split.train.size())));
  d.series = std::move(series);
  return d;
}

// predictions: (N, H)  windows.targets: (N, H)
Metrics ForecastData::score(const Tensor& predictions, const Windows& windows) const {
  SYN_CHECK_T(ShapeError, predictions.shape() == windows.targets.shape(), "score: predictions ",
              predictions.shape(), " vs window targets ", windows.targets.shape());
  std::vector<double> predicted(static_cast<size_t>(predictions.numel()));
  const float* p = predictions.data();
  for (size_t i = 0; i < predicted.size(); ++i) predicted[i] = scaler.inverse(p[i], 0);
  return compute_metrics(window_targets(series, windows), predicted, naive_mae);
}

}  // namespace syn::forecast
