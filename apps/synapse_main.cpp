// synapse: command-line forecasting with the synapse engine — train, eval, predict, inspect, masks, demo.
#include <cstdio>
#include <exception>
#include <vector>

#include "command.hpp"
#include "json_config.hpp"
#include "synapse/core/error.hpp"

int main(int argc, char** argv) {
  using namespace syn::apps;
  CLI::App root("synapse: time-series forecasting on a from-scratch CPU autodiff engine", "synapse");
  root.set_version_flag("--version", "synapse " SYN_VERSION);
  root.require_subcommand(1);
  root.fallthrough();  // --config belongs to the root but is written after the subcommand
  add_json_config(root);
  const std::vector<Command> commands = {add_train_command(root), add_eval_command(root),
                                         add_predict_command(root), add_inspect_command(root), add_masks_command(root),
                                         add_experiment_command(root), add_sensitivity_command(root),
                                         add_demo_command(root), add_export_command(root), add_import_command(root)};
  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    const CLI::App* sub = root.get_subcommands().empty() ? &root : root.get_subcommands().front();
    std::fprintf(stderr, "synapse%s%s: %s\nRun 'synapse%s%s --help' for the options.\n",
                 sub == &root ? "" : " ", sub == &root ? "" : sub->get_name().c_str(), e.what(),
                 sub == &root ? "" : " ", sub == &root ? "" : sub->get_name().c_str());
    return kExitBadInput;
  }
  const CLI::App* chosen = root.get_subcommands().front();
  const char* name = chosen->get_name().c_str();
  try {
    for (const Command& c : commands)
      if (c.app == chosen) return c.run();
    return kExitFailure;
  } catch (const syn::ValueError& e) {
    std::fprintf(stderr, "synapse %s: %s\n", name, e.what());
    return kExitBadInput;
  } catch (const syn::ShapeError& e) {
    std::fprintf(stderr, "synapse %s: %s\n", name, e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "synapse %s: %s\n", name, e.what());
    return kExitFailure;
  }
}
