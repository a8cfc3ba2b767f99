#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "synapse/core/error.hpp"
#include "synapse/nn/lr_schedule.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
void check_against_torch(const std::string& name, const LrSchedule& schedule) {
  CAPTURE(name);
  const auto torch_lrs = syn::testing::load_lr_schedules().at(name);
  REQUIRE(torch_lrs.size() >= 10);
  for (size_t t = 0; t < torch_lrs.size(); ++t) {
    CAPTURE(t);
    CHECK(std::fabs(schedule(static_cast<int64_t>(t)) - torch_lrs[t]) <= 1e-12 * torch_lrs[t]);
  }
}
}  // namespace

TEST_CASE("lr_schedule: step decay, cosine annealing and warm-up match torch's schedulers") {
  check_against_torch("step_decay", step_decay(0.1, 3, 0.5));
  check_against_torch("cosine_annealing", cosine_annealing(0.1, 10, 0.001));
  check_against_torch("warmup_cosine", linear_warmup(cosine_annealing(0.1, 10, 0.001), 4, 0.25));
  check_against_torch("warmup_step", linear_warmup(step_decay(0.1, 2, 0.1), 3, 0.5));
}

TEST_CASE("lr_schedule: formulas at the corners") {
  const LrSchedule cosine = cosine_annealing(0.2, 8, 0.01);
  CHECK(cosine(0) == doctest::Approx(0.2).epsilon(1e-15));
  CHECK(cosine(4) == doctest::Approx(0.105).epsilon(1e-15));  // half way: the mean of lr0 and eta_min
  CHECK(cosine(8) == doctest::Approx(0.01).epsilon(1e-15));
  const LrSchedule steps = step_decay(1.0, 2, 0.1);
  CHECK(steps(1) == 1.0);
  CHECK(steps(2) == doctest::Approx(0.1).epsilon(1e-15));
  CHECK(steps(5) == doctest::Approx(0.01).epsilon(1e-15));
  const LrSchedule warm = linear_warmup(constant_lr(0.4), 4, 0.5);
  CHECK(warm(0) == doctest::Approx(0.2).epsilon(1e-15));
  CHECK(warm(2) == doctest::Approx(0.3).epsilon(1e-15));
  CHECK(warm(4) == 0.4);
  CHECK(constant_lr(0.3)(1000) == 0.3);
}

TEST_CASE("lr_schedule: invalid arguments throw ValueError naming the schedule") {
  CHECK_THROWS_WITH_AS(step_decay(0.1, 0), doctest::Contains("step_decay"), ValueError);
  CHECK_THROWS_WITH_AS(cosine_annealing(0.1, 0), doctest::Contains("cosine_annealing"), ValueError);
  CHECK_THROWS_AS(linear_warmup(constant_lr(0.1), 0), ValueError);
  CHECK_THROWS_AS(linear_warmup(constant_lr(0.1), 3, 0.0), ValueError);
  CHECK_THROWS_AS(linear_warmup(LrSchedule(), 3), ValueError);
  CHECK_THROWS_WITH_AS(cosine_annealing(0.1, 5)(-1), doctest::Contains("negative step -1"), ValueError);
  CHECK_THROWS_AS(linear_warmup(constant_lr(0.1), 2)(-3), ValueError);
}
