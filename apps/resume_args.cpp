#include "resume_args.hpp"

#include "cli_values.hpp"
#include "synapse/core/error.hpp"

namespace syn::apps {
namespace {
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }
}  // namespace

void add_resume_options(CLI::App& app, ResumeArgs& a) {
  CLI::App* g = app.add_option_group(
      "Resilience", "Resumable training and numeric faults. Ctrl-C stops after the current batch and saves "
                    "the best weights so far (a second Ctrl-C ends at once)");
  g->add_option("--checkpoint-every", a.checkpoint_every,
                "Save a resumable training state every N epochs (weights, masks, optimizer, schedule position, "
                "epoch) to --checkpoint-file (default: none)")
      ->check(positive_integer());
  g->add_option("--checkpoint-file", a.checkpoint_file, "Where --checkpoint-every writes (default: the --out file + .state)")
      ->needs("--checkpoint-every")
      ->type_name("FILE");
  g->add_option("--resume", a.resume,
                "Continue the run that wrote this training state: give the same options (and data) as that run "
                "(default: a new run)")
      ->excludes(app.get_option("--init-weights"))
      ->type_name("FILE");
  g->add_flag("--skip-nonfinite", a.skip_nonfinite,
              "Skip (and count) a batch whose loss or gradients are NaN or infinite instead of stopping");
}

std::string checkpoint_file(const ResumeArgs& a, const std::string& out) {
  if (a.checkpoint_every == 0) return {};
  return a.checkpoint_file.empty() ? out + ".state" : a.checkpoint_file;
}

void apply_resume_args(const ResumeArgs& a, const std::string& out, train::TrainerOptions& options,
                       std::unique_ptr<train::TrainState>& state) {
  options.skip_nonfinite = a.skip_nonfinite;
  options.checkpoint_every = a.checkpoint_every;
  options.checkpoint_path = checkpoint_file(a, out);
  if (a.resume.empty()) return;
  try {
    state = std::make_unique<train::TrainState>(train::load_train_state(a.resume));
  } catch (const ValueError& e) {
    throw ValueError(detail::concat("--resume: ", e.what()));
  }
  options.resume = state.get();
}

const volatile std::sig_atomic_t* stop_on_interrupt() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  action.sa_flags = SA_RESETHAND;  // the second Ctrl-C takes the default action
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  return &g_interrupted;
}

}  // namespace syn::apps
