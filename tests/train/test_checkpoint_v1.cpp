// Checkpoint format 1 (before the transform field and RevIN for every kind) still loads.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/temp_dir.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/crc32.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;

TEST_CASE("checkpoint: a format 1 file loads as transform none, without RevIN outside patchtst") {
  syn::testing::TempDir dir("checkpoint_v1");
  nn::ModelConfig config = syn::testing::linear_config(6, 1, 1, 5);
  auto model = std::make_shared<nn::LinearForecaster>(config);
  DataSettings data;
  data.target = "y";
  data.scaler = {forecast::ScalerKind::standard, {1.0}, {2.0}};
  const std::string path = dir.file("v2.syn");
  save_checkpoint(path, make_checkpoint(*model, data));
  std::ifstream in(path, std::ios::binary);
  std::vector<char> b{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Format 1: no "data.transform" string (u32 length 4, "none") after the scaler, revin=true written
  // for every kind (its old default), version 1.
  const std::string transform("\x04\0\0\0none", 8);
  const auto at = std::find_end(b.begin() + 20, b.end(), transform.begin(), transform.end());  // reg is "none" too
  REQUIRE(at != b.end());
  b.erase(at, at + 8);
  const std::string key("\x05\0\0\0revin\x05\0\0\0false", 18);
  const auto r = std::search(b.begin() + 20, b.end(), key.begin(), key.end());
  REQUIRE(r != b.end());
  const std::string old_key("\x05\0\0\0revin\x04\0\0\0true", 17);
  b.erase(r, r + 18);
  b.insert(r, old_key.begin(), old_key.end());
  const uint32_t version = 1;
  std::memcpy(b.data() + 8, &version, 4);
  const uint64_t size = b.size() - 20 - 4;
  std::memcpy(b.data() + 12, &size, 8);
  const uint32_t crc = crc32(std::span<const char>(b.data() + 20, size));
  std::memcpy(b.data() + 20 + size, &crc, 4);
  const std::string old = dir.file("v1.syn");
  std::ofstream(old, std::ios::binary).write(b.data(), static_cast<std::streamsize>(b.size()));

  const Checkpoint c = load_checkpoint(old);
  CHECK(c.data.transform == forecast::TargetTransform::none);
  CHECK_FALSE(c.config.uses_revin());
  const auto restored = restore_model(c, old);
  CHECK(restored->named_parameters().size() == model->named_parameters().size());
}
