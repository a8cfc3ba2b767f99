// `synapse inspect` and `synapse masks` on a checkpoint with pruned tensors: per-gate sparsity and
// kernel plans in the report, and the .npy files numpy would read.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "apps/cli_runner.hpp"
#include "support/masks.hpp"
#include "support/temp_dir.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/model_factory.hpp"

using namespace syn::testing;
using nlohmann::json;

namespace {

// An LSTM forecaster (hidden 8) whose recurrent weight has gate f fully dead and the rest live, whose
// input weight (32, 1) keeps rows 4..7 (one 4×1 block of 8), and whose head weight keeps 1 of 8
// entries; saved to dir/pruned.syn.
std::string save_pruned_lstm(const TempDir& dir) {
  syn::nn::ModelConfig config;
  config.kind = "lstm";
  config.input_size = 1;
  config.lookback = 4;
  config.horizon = 1;
  config.hidden_size = 8;
  config.num_layers = 1;
  auto model = syn::train::make_forecaster(config);
  for (auto& [name, p] : model->named_parameters()) {
    syn::Tensor t = p;
    if (name.ends_with("weight_hh_l0")) {  // (32, 8): rows 8..15 are gate f
      std::vector<uint8_t> live(static_cast<size_t>(t.numel()), 1);
      for (int64_t i = 8 * 8; i < 16 * 8; ++i) live[static_cast<size_t>(i)] = 0;
      t.set_mask(std::make_shared<const syn::Mask>(live));
    } else if (name.ends_with("weight_ih_l0")) {
      std::vector<uint8_t> live(32, 0);
      for (int64_t i = 4; i < 8; ++i) live[static_cast<size_t>(i)] = 1;
      t.set_mask(std::make_shared<const syn::Mask>(live));
    } else if (name == "head.weight") {
      std::vector<uint8_t> live(8, 0);
      live[3] = 1;
      t.set_mask(std::make_shared<const syn::Mask>(live));
    }
  }
  syn::train::DataSettings data;
  data.target = "y";
  data.scaler.offset = {0.0};
  data.scaler.scale = {1.0};
  const std::string path = dir.file("pruned.syn");
  syn::train::save_checkpoint(path, syn::train::make_checkpoint(*model, data));
  return path;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("cli: inspect reports sparsity per tensor and per gate, and the kernel plans") {
  const TempDir dir("cli_inspect");
  const std::string model = save_pruned_lstm(dir);
  const CliResult r = run_cli("inspect --json " + quoted(model), dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json out = json::parse(r.out);
  bool saw_hh = false, saw_ih = false, saw_head = false;
  for (const json& t : out["tensors"]) {
    if (t["name"].get<std::string>().ends_with("weight_ih_l0")) {
      saw_ih = true;
      CHECK(t["plan"]["plan"] == "block");  // 4×1 blocks, 12.5 % live
      CHECK(t["plan"]["batch_1"] == "sparse");
    }
    if (t["name"].get<std::string>().ends_with("weight_hh_l0")) {
      saw_hh = true;
      CHECK(t["live"] == 24 * 8);
      REQUIRE(t["gates"].size() == 4);
      CHECK(t["gates"][1]["gate"] == "f");
      CHECK(t["gates"][1]["sparsity"] == 1.0);
      CHECK(t["gates"][0]["sparsity"] == 0.0);
      CHECK(t["plan"]["plan"] == "dense");  // 75% live: above every crossover
    }
    if (t["name"] == "head.weight") {
      saw_head = true;
      CHECK(t["sparsity"] == doctest::Approx(7.0 / 8));
      CHECK(t["plan"]["batch_1"] == "sparse");
      CHECK_FALSE(t.contains("gates"));
    }
  }
  CHECK(saw_hh);
  CHECK(saw_ih);
  CHECK(saw_head);
  const CliResult text = run_cli("inspect " + quoted(model), dir.path);
  CHECK(text.status == 0);
  CHECK(text.out.find("gate f") != std::string::npos);
  CHECK(text.out.find("plan sparse") != std::string::npos);
  CHECK(text.out.find("plan block") != std::string::npos);
}

TEST_CASE("cli: masks writes each pruned tensor's weights and mask as .npy files") {
  const TempDir dir("cli_masks");
  const std::string model = save_pruned_lstm(dir);
  const CliResult r = run_cli("masks " + quoted(model) + " --out " + quoted(dir.file("npy")), dir.path);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json summary = json::parse(read_bytes(dir.file("npy/masks.json")));
  REQUIRE(summary["tensors"].size() == 3);
  const std::string mask = read_bytes(dir.file("npy/head.weight.mask.npy"));
  const std::string weights = read_bytes(dir.file("npy/head.weight.npy"));
  REQUIRE(mask.size() > 10);
  CHECK(mask.substr(0, 6) == "\x93NUMPY");
  const size_t header = 10 + static_cast<uint8_t>(mask[8]) + 256 * static_cast<uint8_t>(mask[9]);
  CHECK(header % 64 == 0);
  CHECK(mask.find("'descr': '|b1'") != std::string::npos);
  CHECK(mask.find("'shape': (1, 8)") != std::string::npos);
  REQUIRE(mask.size() == header + 8);
  for (int i = 0; i < 8; ++i) CHECK(mask[header + i] == (i == 3 ? 1 : 0));
  REQUIRE(weights.size() == header + 32);
  CHECK(weights.find("'descr': '<f4'") != std::string::npos);
  float w[8];
  std::memcpy(w, weights.data() + header, sizeof w);
  for (int i = 0; i < 8; ++i) CHECK((w[i] == 0.f) == (i != 3));
  // A checkpoint path that is a file where the directory should go.
  const CliResult bad = run_cli("masks " + quoted(model) + " --out " + quoted(model), dir.path);
  CHECK(bad.status == 2);
  CHECK(bad.err.find("--out") != std::string::npos);
}
