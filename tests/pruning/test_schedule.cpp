#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/pruning/paper_preset.hpp"
#include "synapse/pruning/schedule.hpp"
#include "synapse/pruning/sparsity_formulas.hpp"

using namespace syn;
using namespace syn::pruning;

namespace {

Schedule make(ScheduleKind kind, double s_i, double s_f, TimePoint begin, TimePoint end, int64_t every) {
  Schedule s;
  s.kind = kind;
  s.initial_sparsity = s_i;
  s.final_sparsity = s_f;
  s.begin = begin;
  s.end = end;
  s.frequency = every;
  s.validate();
  return s;
}

// The steps (1..steps) after which an update is due, with 10 batches per epoch.
std::vector<int64_t> due_steps(const Schedule& s, int64_t steps) {
  std::vector<int64_t> out;
  for (int64_t t = 1; t <= steps; ++t)
    if (s.due({t, (t - 1) / 10 + 1, 10})) out.push_back(t);
  return out;
}

}  // namespace

TEST_CASE("schedule: zhu_gupta at begin, middle and end equals s_f + (s_i - s_f)(1 - p)^3") {
  const double si = 0.1, sf = 0.9;
  CHECK(zhu_gupta_sparsity(si, sf, 100, 100, 300) == doctest::Approx(si));
  CHECK(zhu_gupta_sparsity(si, sf, 200, 100, 300) == doctest::Approx(sf + (si - sf) * 0.125));
  CHECK(zhu_gupta_sparsity(si, sf, 150, 100, 300) == doctest::Approx(sf + (si - sf) * 0.75 * 0.75 * 0.75));
  CHECK(zhu_gupta_sparsity(si, sf, 300, 100, 300) == doctest::Approx(sf));
  CHECK(zhu_gupta_sparsity(si, sf, 50, 100, 300) == doctest::Approx(si));   // p clamped to 0
  CHECK(zhu_gupta_sparsity(si, sf, 900, 100, 300) == doctest::Approx(sf));  // p clamped to 1
  CHECK_THROWS_AS(zhu_gupta_sparsity(si, sf, 1, 5, 5), ValueError);
}

TEST_CASE("schedule: linear at begin, middle and end equals s_i + (s_f - s_i) p") {
  CHECK(linear_sparsity(0.2, 0.6, 10, 10, 30) == doctest::Approx(0.2));
  CHECK(linear_sparsity(0.2, 0.6, 20, 10, 30) == doctest::Approx(0.4));
  CHECK(linear_sparsity(0.2, 0.6, 30, 10, 30) == doctest::Approx(0.6));
  CHECK(linear_sparsity(0.2, 0.6, 40, 10, 30) == doctest::Approx(0.6));
}

TEST_CASE("schedule: paper_ramp is 0 before the warm-up, then s_min + (s_max - s_min) p^3 over 0-based epochs") {
  CHECK(paper_ramp_sparsity(0.1, 0.5, 0, 2, 20) == 0.0);
  CHECK(paper_ramp_sparsity(0.1, 0.5, 1, 2, 20) == 0.0);
  CHECK(paper_ramp_sparsity(0.1, 0.5, 2, 2, 20) == doctest::Approx(0.1));
  CHECK(paper_ramp_sparsity(0.1, 0.5, 11, 2, 20) == doctest::Approx(0.1 + 0.4 * 0.125));
  CHECK(paper_ramp_sparsity(0.1, 0.5, 20, 2, 20) == doctest::Approx(0.5));
  CHECK(paper_ramp_sparsity(0.1, 0.5, 25, 2, 20) == doctest::Approx(0.5));
  CHECK_THROWS_AS(paper_ramp_sparsity(0.1, 0.5, 3, 5, 5), ValueError);
}

TEST_CASE("schedule: the study's presets give the targets of study.md over 20 epochs") {
  const PaperPreset rnn = paper_preset("rnn"), lstm = paper_preset("lstm"), patch = paper_preset("patchtst");
  CHECK(rnn.s_min == 0.1);
  CHECK(rnn.s_max == 0.5);
  CHECK(rnn.warmup_epochs == 2);
  CHECK(rnn.every_batches == 5);
  CHECK(lstm.s_min == 0.7);
  CHECK(lstm.s_max == 1.2);
  CHECK(lstm.warmup_epochs == 2);
  CHECK(lstm.every_batches == 2);
  CHECK(patch.s_min == 0.01);
  CHECK(patch.s_max == 0.5);
  CHECK(patch.warmup_epochs == 5);
  CHECK(patch.every_batches == 5);
  CHECK(std::string(paper_preset("paper-patchtst").name) == "PATCHTST.py");
  CHECK(std::string(paper_preset("gru").name) == "RNN.py");
  CHECK(std::string(paper_preset("linear").name) == "RNN.py");
  auto ramp = [](const PaperPreset& p, int64_t e) {
    return paper_ramp_sparsity(p.s_min, p.s_max, e, p.warmup_epochs, 20);
  };
  CHECK(ramp(rnn, 2) == doctest::Approx(0.10));
  CHECK(ramp(rnn, 19) == doctest::Approx(0.44).epsilon(0.01));
  CHECK(ramp(lstm, 2) == doctest::Approx(0.70));
  CHECK(ramp(lstm, 15) == doctest::Approx(0.89).epsilon(0.01));
  CHECK(ramp(lstm, 17) == doctest::Approx(0.99).epsilon(0.01));
  CHECK(ramp(lstm, 18) >= 1.0);
  CHECK(ramp(patch, 5) == doctest::Approx(0.01));
  CHECK(ramp(patch, 19) == doctest::Approx(0.41).epsilon(0.01));
}

TEST_CASE("schedule: targets >= 1 are capped at 0.99, targets below 1 are kept") {
  CHECK(cap_target(1.2).target == kSparsityCap);
  CHECK(cap_target(1.2).capped);
  CHECK(cap_target(1.0).capped);
  CHECK(cap_target(0.995).target == 0.995);
  CHECK(!cap_target(0.995).capped);
  CHECK(cap_target(0.0).target == 0.0);
}

TEST_CASE("schedule: zhu_gupta updates every `frequency` steps from begin to end, and at end") {
  const Schedule s = make(ScheduleKind::zhu_gupta, 0.0, 0.8, {2, TimeUnit::epochs}, {4, TimeUnit::epochs}, 3);
  CHECK(due_steps(s, 60) == std::vector<int64_t>{20, 23, 26, 29, 32, 35, 38, 40});
  CHECK(*s.due({20, 3, 10}) == doctest::Approx(0.0));
  CHECK(*s.due({40, 4, 10}) == doctest::Approx(0.8));
  CHECK(*s.due({26, 3, 10}) == doctest::Approx(zhu_gupta_sparsity(0.0, 0.8, 26, 20, 40)));
  CHECK(s.target({60, 6, 10}) == doctest::Approx(0.8));
  const Schedule steps = make(ScheduleKind::zhu_gupta, 0.0, 0.8, {5, TimeUnit::steps}, {9, TimeUnit::steps}, 2);
  CHECK(due_steps(steps, 30) == std::vector<int64_t>{5, 7, 9});
}

TEST_CASE("schedule: linear and constant follow the same update steps") {
  const Schedule lin = make(ScheduleKind::linear, 0.2, 0.6, {0, TimeUnit::steps}, {20, TimeUnit::steps}, 5);
  CHECK(due_steps(lin, 30) == std::vector<int64_t>{5, 10, 15, 20});
  CHECK(*lin.due({10, 1, 10}) == doctest::Approx(0.4));
  const Schedule constant = make(ScheduleKind::constant, 0.0, 0.3, {1, TimeUnit::epochs}, {2, TimeUnit::epochs}, 4);
  CHECK(due_steps(constant, 30) == std::vector<int64_t>{10, 14, 18, 20});
  CHECK(*constant.due({14, 2, 10}) == 0.3);
}

TEST_CASE("schedule: paper_ramp updates every N batches of a global counter once the warm-up is over") {
  const Schedule s = make(ScheduleKind::paper_ramp, 0.1, 0.5, {2, TimeUnit::epochs}, {20, TimeUnit::epochs}, 4);
  CHECK(due_steps(s, 40) == std::vector<int64_t>{24, 28, 32, 36, 40});
  CHECK(*s.due({24, 3, 10}) == doctest::Approx(0.1));
  CHECK(*s.due({40, 4, 10}) == doctest::Approx(paper_ramp_sparsity(0.1, 0.5, 3, 2, 20)));
  CHECK(s.target({5, 1, 10}) == 0.0);
}

TEST_CASE("schedule: invalid settings throw ValueError naming the field") {
  auto invalid = [](std::function<void(Schedule&)> edit, const char* text) {
    Schedule s;
    edit(s);
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(s.validate(), doctest::Contains(text), ValueError);
  };
  invalid([](Schedule& s) { s.initial_sparsity = -0.1; }, "initial sparsity");
  invalid([](Schedule& s) { s.final_sparsity = NAN; }, "final sparsity");
  invalid([](Schedule& s) { s.frequency = 0; }, "frequency must be > 0");
  invalid([](Schedule& s) { s.begin = {20, TimeUnit::epochs}; }, "must be before end");
  invalid([](Schedule& s) { s.begin = {-1, TimeUnit::epochs}; }, "begin must be >= 0");
  invalid([](Schedule& s) { s.begin = {0, TimeUnit::steps}; }, "same unit");
  invalid(
      [](Schedule& s) {
        s.kind = ScheduleKind::paper_ramp;
        s.begin = {0, TimeUnit::steps};
        s.end = {10, TimeUnit::steps};
      },
      "in epochs");
  Schedule above_one;
  above_one.final_sparsity = 1.2;  // the study's LSTM preset: allowed, capped when reached
  CHECK_NOTHROW(above_one.validate());
}

TEST_CASE("schedule: names round-trip and unknown names list the choices") {
  for (ScheduleKind k : {ScheduleKind::zhu_gupta, ScheduleKind::paper_ramp, ScheduleKind::constant,
                         ScheduleKind::linear})
    CHECK(schedule_from_name(schedule_name(k)) == k);
  CHECK_THROWS_WITH_AS(schedule_from_name("cubic"), doctest::Contains("zhu_gupta, paper_ramp, constant or linear"),
                       ValueError);
  Schedule s;
  CHECK(s.describe() == "zhu_gupta 0 -> 0.5, epochs 0..20, every 1 step");
  s.kind = ScheduleKind::constant;
  s.frequency = 3;
  CHECK(s.describe() == "constant 0.5, epochs 0..20, every 3 steps");
}
