#include "synapse/nn/lr_schedule.hpp"

#include <cmath>
#include <numbers>

#include "synapse/core/error.hpp"

namespace syn::nn {
namespace {
void check_step(int64_t t, const char* schedule) {
  SYN_CHECK_T(ValueError, t >= 0, schedule, ": negative step ", t);
}
}  // namespace

LrSchedule constant_lr(double lr0) {
  return [lr0](int64_t t) {
    check_step(t, "constant_lr");
    return lr0;
  };
}

LrSchedule step_decay(double lr0, int64_t step_size, double gamma) {
  SYN_CHECK_T(ValueError, step_size > 0, "step_decay: step_size must be positive, got ", step_size);
  return [=](int64_t t) {
    check_step(t, "step_decay");
    return lr0 * std::pow(gamma, static_cast<double>(t / step_size));
  };
}

LrSchedule cosine_annealing(double lr0, int64_t t_max, double eta_min) {
  SYN_CHECK_T(ValueError, t_max > 0, "cosine_annealing: t_max must be positive, got ", t_max);
  return [=](int64_t t) {
    check_step(t, "cosine_annealing");
    const double phase = std::numbers::pi * static_cast<double>(t) / static_cast<double>(t_max);
    return eta_min + (lr0 - eta_min) * (1.0 + std::cos(phase)) / 2.0;
  };
}

LrSchedule linear_warmup(LrSchedule after, int64_t warmup_steps, double start_factor) {
  SYN_CHECK_T(ValueError, static_cast<bool>(after), "linear_warmup: the schedule after warm-up is empty");
  SYN_CHECK_T(ValueError, warmup_steps > 0, "linear_warmup: warmup_steps must be positive, got ",
              warmup_steps);
  SYN_CHECK_T(ValueError, start_factor > 0.0 && start_factor <= 1.0,
              "linear_warmup: start_factor must be in (0, 1], got ", start_factor);
  return [after = std::move(after), warmup_steps, start_factor](int64_t t) {
    check_step(t, "linear_warmup");
    if (t >= warmup_steps) return after(t - warmup_steps);
    const double progress = static_cast<double>(t) / static_cast<double>(warmup_steps);
    return after(0) * (start_factor + (1.0 - start_factor) * progress);
  };
}

}  // namespace syn::nn
