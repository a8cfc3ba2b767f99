#include "prune_args.hpp"

#include "cli_values.hpp"
#include "synapse/core/error.hpp"
#include "synapse/pruning/granularity.hpp"
#include "synapse/pruning/paper_preset.hpp"

namespace syn::apps {
namespace {

CLI::Validator granularity_text() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        try {
          pruning::Granularity::parse(s);
          return {};
        } catch (const ValueError& e) {
          return e.what();
        }
      },
      "element|row|block:RxC");
}

bool given(const CLI::Option* o) { return o->count() > 0; }

}  // namespace

void add_prune_options(CLI::App& app, PruneArgs& a) {
  CLI::App* g = app.add_option_group(
      "Pruning", "Synaptic pruning during training, with --reg pruning or pruning+dropout. Values not given "
                 "come from the model kind's preset in the reference study: rnn 0.1 -> 0.5, warm-up 2 epochs, "
                 "every 5 batches; lstm 0.7 -> 1.2 (targets >= 1 are capped at 0.99), warm-up 2, every 2; "
                 "patchtst and paper-patchtst 0.01 -> 0.5, warm-up 5, every 5; gru and linear as rnn");
  auto keep = [&](CLI::Option* o) {
    a.options.push_back(o);
    return o;
  };
  keep(g->add_option("--schedule", a.schedule,
                     "paper_ramp (the study: s_min + (s_max - s_min) p^3 per epoch after the warm-up), "
                     "zhu_gupta (s_f + (s_i - s_f)(1 - p)^3 from begin to end), linear, or constant "
                     "(the final sparsity from begin on)")
           ->check(CLI::IsMember({"paper_ramp", "zhu_gupta", "linear", "constant"}))
           ->capture_default_str());
  a.initial_option = keep(g->add_option("--initial-sparsity", a.initial_sparsity,
                                        "Sparsity at --prune-begin (paper_ramp: s_min; unused by constant); "
                                        "default: the preset's")
                              ->check(unit_interval()));
  a.final_option = keep(g->add_option("--final-sparsity", a.final_sparsity,
                                      "Sparsity at --prune-end (paper_ramp: s_max); default: the preset's")
                            ->check(unit_interval()));
  a.begin_option = keep(g->add_option("--prune-begin", a.begin,
                                      "Epochs trained before the first mask update (paper_ramp: the warm-up); "
                                      "default: the preset's")
                            ->check(non_negative_integer()));
  a.end_option = keep(g->add_option("--prune-end", a.end,
                                    "Epoch at which the final sparsity is reached (paper_ramp: the ramp's total "
                                    "epochs); default: --epochs")
                          ->check(positive_integer()));
  a.every_option = keep(g->add_option("--prune-every", a.every, "Batches between mask updates; default: the preset's")
                            ->check(positive_integer()));
  keep(g->add_option("--scope", a.scope,
                     "global (one threshold across all pruned tensors, the study) or per-tensor")
           ->check(CLI::IsMember({"global", "per-tensor"}))
           ->capture_default_str());
  keep(g->add_option("--score", a.score,
                     "magnitude |w| (the study), random (a control, seeded by --seed) or grad-magnitude "
                     "|w * dL/dw| (the last step's gradient)")
           ->check(CLI::IsMember({"magnitude", "random", "grad-magnitude"}))
           ->capture_default_str());
  keep(g->add_option("--granularity", a.granularity,
                     "element, row, or block:RxC (e.g. block:4x4); rows and blocks are scored by their sum")
           ->check(granularity_text())
           ->capture_default_str());
  keep(g->add_option("--prune-include", a.include,
                     "Also prune the parameters whose dotted name matches this glob ('*' any characters, "
                     "'?' one), e.g. '*.bias' or '*norm?.weight'; comma-separated or repeated. Default: the "
                     "weight matrices only (recurrent, attention, feed-forward, embedding, head)")
           ->delimiter(','));
  keep(g->add_option("--prune-exclude", a.exclude,
                     "Never prune the parameters matching this glob; comma-separated or repeated (default: none)")
           ->delimiter(','));
  keep(g->add_option("--prune-log", a.log, "Write one JSON line per mask update to this file (default: none)")
           ->type_name("FILE"));
}

void check_prune_options_need_pruning(const PruneArgs& a, bool pruning) {
  if (pruning) return;
  for (const CLI::Option* o : a.options)
    SYN_CHECK_T(ValueError, !given(o), o->get_name(), ": pruning options need --reg pruning or pruning+dropout");
}

pruning::Schedule prune_schedule(const PruneArgs& a, const std::string& model_kind, int64_t epochs) {
  pruning::Schedule s = pruning::preset_schedule(pruning::schedule_from_name(a.schedule), model_kind, epochs);
  if (given(a.initial_option)) s.initial_sparsity = a.initial_sparsity;
  if (given(a.final_option)) s.final_sparsity = a.final_sparsity;
  if (given(a.begin_option)) s.begin.value = a.begin;
  if (given(a.end_option)) s.end.value = a.end;
  if (given(a.every_option)) s.frequency = a.every;
  SYN_CHECK_T(ValueError, s.begin.value < s.end.value, "--prune-begin (", s.begin.value, " epochs",
              given(a.begin_option) ? "" : detail::concat(", the ", model_kind, " preset's warm-up"),
              ") must be before --prune-end (", s.end.value, given(a.end_option) ? "" : ", from --epochs",
              "): give a smaller --prune-begin or a larger --prune-end or --epochs");
  s.validate();
  return s;
}

pruning::PrunerOptions pruner_options(const PruneArgs& a, uint64_t seed) {
  pruning::PrunerOptions o;
  o.scope = pruning::scope_from_name(a.scope);
  o.score = pruning::score_from_name(a.score);
  o.granularity = pruning::Granularity::parse(a.granularity);
  o.include = a.include;
  o.exclude = a.exclude;
  o.seed = seed;
  return o;
}

nlohmann::json pruning_json(const PruneArgs& a, const train::PruningCallback& pruning) {
  const pruning::Schedule& s = pruning.schedule();
  nlohmann::json tensors = nlohmann::json::array();
  for (const auto& [name, _] : pruning.pruner().tensors()) tensors.push_back(name);
  return {{"schedule", a.schedule},
          {"initial_sparsity", s.initial_sparsity},
          {"final_sparsity", s.final_sparsity},
          {"begin_epoch", s.begin.value},
          {"end_epoch", s.end.value},
          {"every", s.frequency},
          {"scope", a.scope},
          {"score", a.score},
          {"granularity", a.granularity},
          {"tensors", tensors},
          {"updates", pruning.updates()},
          {"log", a.log.empty() ? nlohmann::json() : nlohmann::json(a.log)}};
}

}  // namespace syn::apps
