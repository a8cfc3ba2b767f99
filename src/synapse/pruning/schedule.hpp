#pragma once
// Schedule: when masks are updated during training and to which target sparsity (the formulas are in
// sparsity_formulas.hpp). A pure function of the training time, so a schedule holds no state.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace syn::pruning {

enum class ScheduleKind { zhu_gupta, paper_ramp, constant, linear };
std::string_view schedule_name(ScheduleKind kind);
// "zhu_gupta" | "paper_ramp" | "constant" | "linear"; ValueError listing them otherwise.
ScheduleKind schedule_from_name(std::string_view name);

enum class TimeUnit { steps, epochs };

// A point in training: `value` optimizer steps, or `value` whole epochs = value · batches_per_epoch steps.
struct TimePoint {
  int64_t value = 0;
  TimeUnit unit = TimeUnit::epochs;
  int64_t to_step(int64_t batches_per_epoch) const;
};

// The moment just after optimizer step `step` (1-based over the run) of the 1-based `epoch`.
struct TrainingTime {
  int64_t step = 0;
  int64_t epoch = 0;
  int64_t batches_per_epoch = 0;
};

// Note [Pruning schedules]
// zhu_gupta, linear, constant (TF-MOT / SparseML vocabulary): with b = begin and e = end in steps
// (epochs count batches_per_epoch steps each), masks are updated after every step t with b <= t <= e
// and (t − b) % frequency == 0, and after step e itself (so the final sparsity is always reached);
// the target is zhu_gupta_sparsity(initial, final, t, b, e), linear_sparsity(...) or final_sparsity
// (constant; initial_sparsity is not used).
// paper_ramp (the study): begin is the warm-up and end the total number of epochs (both in epochs);
// masks are updated after every step t (a global batch counter, never reset) with t % frequency == 0
// once the 0-based epoch is >= the warm-up; the target is paper_ramp_sparsity(initial, final,
// epoch − 1, begin, end).
// Targets >= 1 are capped by the caller (Note [Sparsity cap]).
struct Schedule {
  ScheduleKind kind = ScheduleKind::zhu_gupta;
  double initial_sparsity = 0.0;
  double final_sparsity = 0.5;
  TimePoint begin{0, TimeUnit::epochs};
  TimePoint end{20, TimeUnit::epochs};
  int64_t frequency = 1;  // steps (batches) between mask updates

  // ValueError naming the field: a sparsity that is negative or not finite (values above 1 are
  // allowed and capped, as the study's LSTM preset needs), frequency <= 0, a negative begin, begin and
  // end in different units, begin >= end, paper_ramp with steps.
  void validate() const;
  // The raw target when a mask update is due just after this step (Note [Pruning schedules]).
  std::optional<double> due(const TrainingTime& time) const;
  // The raw target the formula gives at this time, whether or not an update is due.
  double target(const TrainingTime& time) const;
  // e.g. "paper_ramp 0.7 -> 1.2, epochs 2..20, every 2 steps" ("constant 0.5, ..." for constant)
  std::string describe() const;
};

}  // namespace syn::pruning
