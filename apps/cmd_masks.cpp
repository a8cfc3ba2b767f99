// synapse masks: each pruned tensor of a checkpoint as NumPy files, for study in Python:
// <DIR>/<name>.npy (float32 weights) and <DIR>/<name>.mask.npy (bool, true = live), plus
// <DIR>/masks.json listing them with shape, live count and sparsity.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "command.hpp"
#include "run_options.hpp"
#include "json_report.hpp"
#include "npy_file.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/checkpoint.hpp"

namespace syn::apps {
namespace {

struct MasksArgs {
  std::string model_file, out_dir;
};

int run_masks(const MasksArgs& a) {
  const train::Checkpoint c = train::load_checkpoint(a.model_file);
  const std::filesystem::path dir(a.out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  SYN_CHECK_T(ValueError, !ec && std::filesystem::is_directory(dir), "--out ", a.out_dir,
              ": cannot create the directory (", ec ? ec.message() : "a file of that name exists", ")");
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& [name, t] : c.tensors) {
    const auto& mask = t.mask();
    if (!mask) continue;
    std::vector<uint8_t> live(static_cast<size_t>(t.numel()));
    for (int64_t i = 0; i < t.numel(); ++i) live[static_cast<size_t>(i)] = mask->live(i) ? 1 : 0;
    write_npy(dir / (name + ".npy"), t.shape(), t.data());
    write_npy_bool(dir / (name + ".mask.npy"), t.shape(), live);
    listed.push_back({{"name", name},
                      {"shape", t.shape().dims()},
                      {"numel", t.numel()},
                      {"live", mask->nnz()},
                      {"sparsity", mask->sparsity()},
                      {"weights", name + ".npy"},
                      {"mask", name + ".mask.npy"}});
  }
  const nlohmann::json summary = {{"model_file", a.model_file}, {"model", c.config.kind}, {"tensors", listed}};
  const std::string text = summary.dump(2) + "\n";
  train::write_file_atomically(dir / "masks.json", text);
  std::cout << "synapse masks: " << listed.size() << " pruned tensor" << (listed.size() == 1 ? "" : "s")
            << " written to " << a.out_dir << (listed.empty() ? " (the checkpoint has no masks)" : "") << "\n";
  return kExitOk;
}

}  // namespace

Command add_masks_command(CLI::App& root) {
  auto a = std::make_shared<MasksArgs>();
  CLI::App* app = root.add_subcommand(
      "masks", "Write each pruned tensor's weights and mask as NumPy .npy files (and masks.json listing them)");
  app->footer("Files: DIR/<tensor>.npy (float32), DIR/<tensor>.mask.npy (bool, true = live), DIR/masks.json.\n"
              "Exit status: 0 success, 2 bad usage or a damaged or unreadable checkpoint, 1 a file cannot be "
              "written.");
  add_model_file(*app, a->model_file);
  app->add_option("--out", a->out_dir, "Directory to write into (created if missing)")->required()->type_name("DIR");
  return {app, [a] { return run_masks(*a); }};
}

}  // namespace syn::apps
