#pragma once
// Learning-rate schedules: pure functions of the step (or epoch) t = 0, 1, 2, ..., so a resumed run
// gets the same rates without scheduler state. Use: optimizer.set_lr(schedule(t)) before step t.
// A negative t throws ValueError. Each formula matches the torch.optim.lr_scheduler it names.
#include <cstdint>
#include <functional>

namespace syn::nn {

using LrSchedule = std::function<double(int64_t t)>;

// lr(t) = lr0
LrSchedule constant_lr(double lr0);

// StepLR(step_size, gamma): lr(t) = lr0 · gamma^floor(t / step_size). step_size > 0.
LrSchedule step_decay(double lr0, int64_t step_size, double gamma = 0.1);

// CosineAnnealingLR(t_max, eta_min), closed form:
//   lr(t) = eta_min + (lr0 - eta_min) · (1 + cos(π · t / t_max)) / 2.
// Beyond t_max the cosine continues (rising again over the next t_max steps), as in torch; choose
// t_max = the number of steps to anneal over. t_max > 0.
LrSchedule cosine_annealing(double lr0, int64_t t_max, double eta_min = 0.0);

// Linear warm-up in front of another schedule, as SequentialLR([LinearLR(start_factor, 1.0,
// warmup_steps), after], milestones=[warmup_steps]):
//   lr(t) = after(0) · (start_factor + (1 - start_factor) · t / warmup_steps)   for t < warmup_steps
//   lr(t) = after(t - warmup_steps)                                              afterwards
// warmup_steps > 0, 0 < start_factor <= 1.
LrSchedule linear_warmup(LrSchedule after, int64_t warmup_steps, double start_factor = 1.0 / 3.0);

}  // namespace syn::nn
