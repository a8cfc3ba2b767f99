#include "synapse/forecast/target_transform.hpp"

#include <cmath>

#include "synapse/core/error.hpp"

namespace syn::forecast {

std::string_view transform_name(TargetTransform t) {
  switch (t) {
    case TargetTransform::diff:
      return "diff";
    case TargetTransform::logdiff:
      return "logdiff";
    case TargetTransform::none:
      break;
  }
  return "none";
}

TargetTransform transform_from_name(std::string_view name) {
  if (name == "none") return TargetTransform::none;
  if (name == "diff") return TargetTransform::diff;
  if (name == "logdiff") return TargetTransform::logdiff;
  throw ValueError(detail::concat("transform '", name, "' is unknown (expected none, diff or logdiff)"));
}

// original: (rows, F) -> series: (rows - offset, F)
TransformedSeries transform_target(Series original, TargetTransform t) {
  TransformedSeries out;
  if (t == TargetTransform::none) {
    out.levels = original.column(0);
    out.series = std::move(original);
    return out;
  }
  const int64_t rows = original.rows(), cols = original.cols();
  const std::string& target = original.columns.front();
  SYN_CHECK_T(ValueError, rows >= 2, original.source, ": --transform ", transform_name(t), " needs 2 rows, got ",
              rows);
  if (t == TargetTransform::logdiff)
    for (int64_t r = 0; r < rows; ++r)
      SYN_CHECK_T(ValueError, original.at(r, 0) > 0, original.source, ": --transform logdiff needs a target above 0, but '",
                  target, "' is ", original.at(r, 0), " at series row ", r + 1,
                  "; use --transform diff");
  const auto level = [&](int64_t r) {
    return t == TargetTransform::logdiff ? std::log(original.at(r, 0)) : original.at(r, 0);
  };
  out.offset = 1;
  out.series.source = original.source;
  out.series.columns = original.columns;
  out.series.values.assign(original.values.begin() + cols, original.values.end());
  if (!original.timestamps.empty())
    out.series.timestamps.assign(original.timestamps.begin() + 1, original.timestamps.end());
  out.levels.resize(static_cast<size_t>(rows - 1));
  for (int64_t r = 1; r < rows; ++r) {
    out.series.values[static_cast<size_t>((r - 1) * cols)] = level(r) - level(r - 1);
    out.levels[static_cast<size_t>(r - 1)] = original.at(r, 0);
  }
  return out;
}

// forecasts: (N, H)  origin_levels: (N)
void invert_forecasts(TargetTransform t, std::span<double> forecasts, int64_t horizon,
                      std::span<const double> origin_levels) {
  SYN_CHECK_T(ShapeError, horizon > 0 && forecasts.size() == origin_levels.size() * static_cast<size_t>(horizon),
              "invert_forecasts: ", forecasts.size(), " values for ", origin_levels.size(), " origins of horizon ",
              horizon);
  if (t == TargetTransform::none) return;
  for (size_t i = 0; i < origin_levels.size(); ++i) {
    double acc = t == TargetTransform::logdiff ? std::log(origin_levels[i]) : origin_levels[i];
    for (int64_t h = 0; h < horizon; ++h) {
      double& f = forecasts[i * static_cast<size_t>(horizon) + static_cast<size_t>(h)];
      acc += f;
      f = t == TargetTransform::logdiff ? std::exp(acc) : acc;
    }
  }
}

}  // namespace syn::forecast
