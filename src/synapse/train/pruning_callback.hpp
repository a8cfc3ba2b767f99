#pragma once
// PruningCallback: synaptic pruning inside training. After each optimizer step it asks the schedule
// whether a mask update is due (Note [Pruning schedules]); if so it caps the target (Note [Sparsity
// cap], warning once through the caller's sink), lets the pruner update the masks (Note [Pruning
// updates]) and writes one JSON line to the prune log.
//
// Placement: the study updates masks between backward and the optimizer step and re-zeroes the
// weights after the step; here the update follows the step (the gradients of that step are still
// held, so the grad-magnitude score can read them) and the masked optimizers keep dead weights and
// moments at 0 from then on (Note [Masked optimizer steps]).
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "synapse/pruning/prune_report.hpp"
#include "synapse/pruning/pruner.hpp"
#include "synapse/pruning/schedule.hpp"
#include "synapse/train/trainer_callback.hpp"

namespace syn::train {

using WarningSink = std::function<void(const std::string&)>;
struct PruningCallbackOptions {
  std::ostream* log = nullptr;  // one line per mask update (write_prune_line); not owned
  WarningSink warn;             // receives the capped-target warning; may be empty
};

// Bins of the magnitude histograms in each prune-log line.
inline constexpr int64_t kMagnitudeBins = 24;

class PruningCallback : public TrainerCallback {
 public:
  // ValueError from schedule.validate().
  PruningCallback(pruning::Pruner pruner, pruning::Schedule schedule, PruningCallbackOptions options = {});

  void on_step(const StepInfo& info, nn::Forecaster& model) override;
  // True once training has passed the schedule's end: no mask update will follow.
  bool settled() const override { return settled_; }
  // "updates warned_cap settled" (the schedule itself is a function of the step, which the trainer
  // restores; the masks are saved with the weights). The last report is not kept across a resume.
  std::string save_state() const override;
  void restore_state(const std::string& state) override;

  const pruning::Pruner& pruner() const { return pruner_; }
  const pruning::Schedule& schedule() const { return schedule_; }
  int64_t updates() const { return updates_; }
  // The report of the latest mask update; empty before the first.
  const std::optional<pruning::PruneReport>& last_report() const { return last_report_; }

 private:
  pruning::Pruner pruner_;
  pruning::Schedule schedule_;
  PruningCallbackOptions options_;
  int64_t updates_ = 0;
  bool warned_cap_ = false;
  bool settled_ = false;
  std::optional<pruning::PruneReport> last_report_;
};

// One prune-log line (JSON Lines; non-finite numbers as null):
//   {"step":40,"epoch":3,"target":0.7,"achieved":0.7,"threshold":0.0123,"tensors":[
//     {"name":"rnn.weight_hh_l0","size":16384,"live":4915,"sparsity":0.7,
//      "gates":[{"name":"i","size":4096,"live":1228,"sparsity":0.7002}, ...]}, ...]}
// A tensor has "threshold" under per-tensor scope, "gates" when it is a recurrent weight and "plan"
// when report.tensors[k].plan is set.
void write_prune_line(std::ostream& out, const pruning::PruneReport& report);

}  // namespace syn::train
