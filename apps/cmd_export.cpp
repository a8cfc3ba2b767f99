// synapse export: a checkpoint's tensors (with masks) as a safetensors file under PyTorch's names.
#include <cstdio>
#include <memory>

#include "command.hpp"
#include "data_settings_json.hpp"
#include "synapse/interop/torch_state.hpp"
#include "synapse/train/checkpoint.hpp"

namespace syn::apps {
namespace {

struct ExportArgs {
  std::string model_file, format = "safetensors", out;
};

int run_export(const ExportArgs& a) {
  const train::Checkpoint c = train::load_checkpoint(a.model_file);
  const nlohmann::json config(c.config.to_map());
  const interop::SafetensorsFile file = interop::to_safetensors(
      c.tensors, {{"format", "pt"}, {"synapse.model", config.dump()}, {"synapse.data", data_settings_json(c.data).dump()}});
  interop::write_safetensors(a.out, file);
  std::fprintf(stderr, "wrote %zu tensors of %s to %s\n", file.tensors.size(), a.model_file.c_str(), a.out.c_str());
  return kExitOk;
}

}  // namespace

Command add_export_command(CLI::App& root) {
  auto a = std::make_shared<ExportArgs>();
  CLI::App* app = root.add_subcommand("export", "Write a checkpoint's weights and masks as a safetensors file");
  app->footer(
      "Tensors keep PyTorch's state-dict names, so torch's load_state_dict(strict=True) takes them; a masked "
      "tensor W also writes W_mask (1 live, 0 dead), as torch.nn.utils.prune names it. The metadata holds the "
      "model and data settings for `synapse import`. Exit status: 0 success, 2 bad usage or input.");
  app->add_option("MODEL", a->model_file, "Checkpoint written by synapse train or import")->required();
  app->add_option("--format", a->format, "Output format")->check(CLI::IsMember({"safetensors"}))->capture_default_str();
  app->add_option("--out", a->out, "File to write")->required();
  return {app, [a] { return run_export(*a); }};
}

}  // namespace syn::apps
