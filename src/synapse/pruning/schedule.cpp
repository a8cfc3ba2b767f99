#include "synapse/pruning/schedule.hpp"

#include <cmath>

#include "synapse/core/error.hpp"
#include "synapse/pruning/sparsity_formulas.hpp"

namespace syn::pruning {
namespace {

std::string_view unit_name(TimeUnit unit) { return unit == TimeUnit::steps ? "steps" : "epochs"; }

}  // namespace

std::string_view schedule_name(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::paper_ramp:
      return "paper_ramp";
    case ScheduleKind::constant:
      return "constant";
    case ScheduleKind::linear:
      return "linear";
    case ScheduleKind::zhu_gupta:
      break;
  }
  return "zhu_gupta";
}

ScheduleKind schedule_from_name(std::string_view name) {
  for (ScheduleKind k : {ScheduleKind::zhu_gupta, ScheduleKind::paper_ramp, ScheduleKind::constant,
                         ScheduleKind::linear})
    if (name == schedule_name(k)) return k;
  throw ValueError(detail::concat("pruning: unknown schedule '", name,
                                  "' (expected zhu_gupta, paper_ramp, constant or linear)"));
}

int64_t TimePoint::to_step(int64_t batches_per_epoch) const {
  return unit == TimeUnit::steps ? value : value * batches_per_epoch;
}

void Schedule::validate() const {
  for (auto [field, s] : {std::pair{"initial sparsity", initial_sparsity}, {"final sparsity", final_sparsity}})
    SYN_CHECK_T(ValueError, std::isfinite(s) && s >= 0.0, "pruning schedule: ", field,
                " must be a number >= 0, got ", s);
  SYN_CHECK_T(ValueError, frequency > 0, "pruning schedule: frequency must be > 0 steps, got ", frequency);
  SYN_CHECK_T(ValueError, begin.value >= 0, "pruning schedule: begin must be >= 0, got ", begin.value);
  SYN_CHECK_T(ValueError, begin.unit == end.unit, "pruning schedule: begin (", begin.value, " ",
              unit_name(begin.unit), ") and end (", end.value, " ", unit_name(end.unit),
              ") must be in the same unit");
  SYN_CHECK_T(ValueError, begin.value < end.value, "pruning schedule: begin (", begin.value, " ",
              unit_name(begin.unit), ") must be before end (", end.value, " ", unit_name(end.unit), ")");
  SYN_CHECK_T(ValueError, kind != ScheduleKind::paper_ramp || begin.unit == TimeUnit::epochs,
              "pruning schedule: paper_ramp counts its warm-up and total in epochs, got steps");
}

double Schedule::target(const TrainingTime& time) const {
  const double b = static_cast<double>(begin.to_step(time.batches_per_epoch));
  const double e = static_cast<double>(end.to_step(time.batches_per_epoch));
  const double t = static_cast<double>(time.step);
  switch (kind) {
    case ScheduleKind::paper_ramp:
      return paper_ramp_sparsity(initial_sparsity, final_sparsity, time.epoch - 1, begin.value, end.value);
    case ScheduleKind::constant:
      return final_sparsity;
    case ScheduleKind::linear:
      return linear_sparsity(initial_sparsity, final_sparsity, t, b, e);
    case ScheduleKind::zhu_gupta:
      break;
  }
  return zhu_gupta_sparsity(initial_sparsity, final_sparsity, t, b, e);
}

std::optional<double> Schedule::due(const TrainingTime& time) const {
  bool update = false;
  if (kind == ScheduleKind::paper_ramp) {
    update = time.epoch - 1 >= begin.value && time.step % frequency == 0;
  } else {
    const int64_t b = begin.to_step(time.batches_per_epoch), e = end.to_step(time.batches_per_epoch);
    update = time.step == e || (time.step >= b && time.step <= e && (time.step - b) % frequency == 0);
  }
  if (!update) return std::nullopt;
  return target(time);
}

std::string Schedule::describe() const {
  const std::string values = kind == ScheduleKind::constant
                                 ? detail::concat(final_sparsity)
                                 : detail::concat(initial_sparsity, " -> ", final_sparsity);
  return detail::concat(schedule_name(kind), " ", values, ", ", unit_name(begin.unit), " ", begin.value, "..",
                        end.value, ", every ", frequency, frequency == 1 ? " step" : " steps");
}

}  // namespace syn::pruning
