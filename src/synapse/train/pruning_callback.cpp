#include "synapse/train/pruning_callback.hpp"

#include <cmath>
#include <ostream>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/ops/sparse_plan.hpp"
#include "synapse/pruning/sparsity_formulas.hpp"
#include "synapse/train/json_text.hpp"

namespace syn::train {
namespace {

// "name":..,"size":..,"live":..,"sparsity":.. shared by tensors and gates.
template <class R>
void write_counts(std::ostream& out, const R& r) {
  out << "\"name\":" << json_string(r.name) << ",\"size\":" << r.size << ",\"live\":" << r.live
      << ",\"sparsity\":" << json_number(r.sparsity);
}

}  // namespace

PruningCallback::PruningCallback(pruning::Pruner pruner, pruning::Schedule schedule, PruningCallbackOptions options)
    : pruner_(std::move(pruner)), schedule_(schedule), options_(std::move(options)) {
  schedule_.validate();
}

// "UPDATES WARNED SETTLED" and the 8 words of the pruner's random stream.
std::string PruningCallback::save_state() const {
  std::string out = detail::concat(updates_, ' ', warned_cap_ ? 1 : 0, ' ', settled_ ? 1 : 0);
  for (uint64_t v : pruner_.random_state()) out += detail::concat(' ', v);
  return out;
}

void PruningCallback::restore_state(const std::string& state) {
  std::istringstream in(state);
  int64_t updates = -1;
  int warned = -1, settled = -1;
  Generator::State random{};
  in >> updates >> warned >> settled;
  for (uint64_t& v : random) in >> v;
  SYN_CHECK_T(ValueError,
              in && in.peek() == std::char_traits<char>::eof() && updates >= 0 && (warned == 0 || warned == 1) &&
                  (settled == 0 || settled == 1),
              "pruning: cannot read the saved state ", detail::excerpt(state),
              " (expected \"UPDATES 0|1 0|1\" and the 8 words of the random stream)");
  pruner_.set_random_state(random);
  updates_ = updates;
  warned_cap_ = warned == 1;
  settled_ = settled == 1;
}

void PruningCallback::on_step(const StepInfo& info, nn::Forecaster&) {
  settled_ = info.step >= schedule_.end.to_step(info.batches);
  const std::optional<double> raw = schedule_.due({info.step, info.epoch, info.batches});
  if (!raw) return;
  const pruning::CappedTarget target = pruning::cap_target(*raw);
  if (target.capped && !warned_cap_) {
    warned_cap_ = true;
    if (options_.warn)
      options_.warn(detail::concat("pruning: the schedule (", schedule_.describe(), ") asks for sparsity ", *raw,
                                   " at epoch ", info.epoch, ", step ", info.step,
                                   "; targets >= 1 are capped at ", pruning::kSparsityCap, " (this one and later ones)"));
  }
  const std::vector<double> edges = pruning::magnitude_edges(pruner_.tensors(), kMagnitudeBins);
  pruning::MagnitudeHistogram before = pruning::magnitude_histogram(pruner_.tensors(), edges);
  pruning::PruneReport report = pruner_.prune(target.target);
  report.before = std::move(before);
  report.after = pruning::magnitude_histogram(pruner_.tensors(), edges);
  report.step = info.step;
  report.epoch = info.epoch;
  // The plan each weight runs in a training batch after this update (Note [Sparse plans]).
  for (size_t k = 0; k < report.tensors.size(); ++k)
    report.tensors[k].plan = sparse_plan_name(sparse_plan_for(pruner_.tensors()[k].second, kReportBatch));
  ++updates_;
  if (options_.log) write_prune_line(*options_.log, report);
  last_report_ = std::move(report);
}

void write_prune_line(std::ostream& out, const pruning::PruneReport& r) {
  out << "{\"step\":" << r.step << ",\"epoch\":" << r.epoch << ",\"target\":" << json_number(r.target)
      << ",\"achieved\":" << json_number(r.achieved) << ",\"threshold\":" << json_number(r.threshold)
      << ",\"tensors\":[";
  for (size_t k = 0; k < r.tensors.size(); ++k) {
    const pruning::TensorReport& t = r.tensors[k];
    out << (k ? ",{" : "{");
    write_counts(out, t);
    if (!std::isnan(t.threshold)) out << ",\"threshold\":" << json_number(t.threshold);
    if (!t.plan.empty()) out << ",\"plan\":" << json_string(t.plan);
    if (!t.gates.empty()) {
      out << ",\"gates\":[";
      for (size_t g = 0; g < t.gates.size(); ++g) {
        out << (g ? ",{" : "{");
        write_counts(out, t.gates[g]);
        out << "}";
      }
      out << "]";
    }
    out << "}";
  }
  out << "]";
  if (!r.before.edges.empty()) {
    const auto list = [&](const auto& values) {
      out << "[";
      for (size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << json_number(static_cast<double>(values[i]));
      out << "]";
    };
    out << ",\"magnitudes\":{\"edges\":";
    list(r.before.edges);
    out << ",\"before\":";
    list(r.before.counts);
    out << ",\"after\":";
    list(r.after.counts);
    out << ",\"zeros_before\":" << r.before.zeros << ",\"zeros_after\":" << r.after.zeros << "}";
  }
  out << "}\n";
  out.flush();
}

}  // namespace syn::train
