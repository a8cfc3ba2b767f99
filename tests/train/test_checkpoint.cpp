#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/temp_dir.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/crc32.hpp"
#include "train/toy_data.hpp"

using namespace syn;
using namespace syn::train;
namespace fs = std::filesystem;
using doctest::Contains;

using syn::testing::TempDir;

namespace {

std::vector<char> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_bytes(const fs::path& p, const std::vector<char>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

DataSettings sample_settings() {
  DataSettings d;
  d.target = "CO(GT)";
  d.features = {"T", "RH"};
  d.ignore = {"NMHC(GT)"};
  d.na_values = {-200, -999.5};
  d.na_markers = {"?", "--"};
  d.missing = forecast::MissingPolicy::forward_fill;
  d.protocol = forecast::Protocol::clean(0.6, 0.2, 0.2);
  d.scaler = {forecast::ScalerKind::min_max, {1.5, -2.25, 0.1}, {3.0, 0.5, 1e-3}};
  return d;
}

// A linear model with a checkerboard mask on its weight.
std::shared_ptr<nn::LinearForecaster> masked_model() {
  nn::ModelConfig c = syn::testing::linear_config(6, 2, 3, 11);
  c.reg = "mc-dropout";
  c.mc_samples = 7;
  auto model = std::make_shared<nn::LinearForecaster>(c);
  std::vector<uint8_t> live(36);
  for (size_t i = 0; i < live.size(); ++i) live[i] = (i % 3) != 0;
  Tensor w = model->weight();
  w.set_mask(std::make_shared<Mask>(live));
  return model;
}

fs::path saved(const TempDir& dir) {
  const fs::path p = dir.path / "model.syn";
  save_checkpoint(p, make_checkpoint(*masked_model(), sample_settings()));
  return p;
}

}  // namespace

TEST_CASE("crc32: the standard check value") {
  const char text[] = "123456789";
  CHECK(crc32(std::span<const char>(text, 9)) == 0xCBF43926u);
  CHECK(crc32({}) == 0u);
}

TEST_CASE("checkpoint: round trip of config, data settings, tensors and masks") {
  TempDir dir("ckpt_round_trip");
  const auto model = masked_model();
  const fs::path p = dir.path / "model.syn";
  save_checkpoint(p, make_checkpoint(*model, sample_settings()));
  const Checkpoint c = load_checkpoint(p, "linear");

  CHECK(c.config.to_map() == model->config().to_map());
  const DataSettings want = sample_settings();
  CHECK(c.data.target == want.target);
  CHECK(c.data.features == want.features);
  CHECK(c.data.ignore == want.ignore);
  CHECK(c.data.na_values == want.na_values);
  CHECK(c.data.na_markers == want.na_markers);
  CHECK(c.data.missing == want.missing);
  CHECK(c.data.protocol.name() == "clean");
  CHECK(c.data.protocol.train == 0.6);
  CHECK(c.data.protocol.val == 0.2);
  CHECK(c.data.scaler.kind == forecast::ScalerKind::min_max);
  CHECK(c.data.scaler.offset == want.scaler.offset);
  CHECK(c.data.scaler.scale == want.scaler.scale);

  const nn::StateDict original = model->state_dict();
  REQUIRE(c.tensors.size() == original.size());
  for (size_t i = 0; i < original.size(); ++i) {
    CHECK(c.tensors[i].first == original[i].first);
    CHECK(c.tensors[i].second.shape() == original[i].second.shape());
    CHECK(c.tensors[i].second.to_vector() == original[i].second.to_vector());
    CHECK(bool(c.tensors[i].second.mask()) == bool(original[i].second.mask()));
  }
  const auto& mask = c.tensors[0].second.mask();
  REQUIRE(mask);
  CHECK(mask->nnz() == 24);
  for (int64_t i = 0; i < 36; ++i) CHECK(mask->live(i) == ((i % 3) != 0));

  const auto restored = restore_model(c, p.string());
  CHECK_FALSE(restored->is_training());
  Generator gen(4);
  const Tensor x = Tensor::randn(Shape{5, 6, 3}, gen);
  model->eval();
  CHECK(restored->forward(x).to_vector() == model->forward(x).to_vector());
  CHECK(restored->named_parameters()[0].second.mask()->nnz() == 24);

  nn::ModelConfig paper_config = model->config();
  DataSettings paper = want;
  paper.protocol = forecast::Protocol::paper();
  paper.missing = forecast::MissingPolicy::drop_rows;
  save_checkpoint(p, Checkpoint{paper_config, paper, model->state_dict()});
  const Checkpoint c2 = load_checkpoint(p);
  CHECK(c2.data.protocol.name() == "paper");
  CHECK(c2.data.missing == forecast::MissingPolicy::drop_rows);
}

TEST_CASE("checkpoint: every damaged or foreign file is a ValueError naming the file and the field") {
  TempDir dir("ckpt_corrupt");
  const fs::path good = saved(dir);
  const std::vector<char> bytes = read_bytes(good);
  const fs::path bad = dir.path / "bad.syn";
  const std::string name = "checkpoint '" + bad.string() + "'";
  auto expect = [&](const std::vector<char>& content, const std::string& field) {
    write_bytes(bad, content);
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), Contains(name.c_str()), ValueError);
    CHECK_THROWS_WITH_AS(load_checkpoint(bad), Contains(field.c_str()), ValueError);
  };

  SUBCASE("wrong magic") {
    std::vector<char> b = bytes;
    b[0] = 'X';
    expect(b, "field 'magic': this is not a synapse checkpoint");
    expect({'h', 'i'}, "truncated at field 'magic'");
  }
  SUBCASE("a future or impossible format version") {
    std::vector<char> b = bytes;
    const uint32_t v = kCheckpointVersion + 1;
    std::memcpy(b.data() + 8, &v, 4);
    expect(b, "field 'version': format version 3 is newer than this synapse reads (2)");
    const uint32_t zero = 0;
    std::memcpy(b.data() + 8, &zero, 4);
    expect(b, "field 'version': format version 0 does not exist");
  }
  SUBCASE("truncated anywhere") {
    for (size_t size :
         {size_t{0}, size_t{7}, size_t{12}, size_t{19}, size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
      CAPTURE(size);
      const std::string field = size < 8    ? "magic"
                                : size < 12 ? "version"
                                : size < 20 ? "payload size"
                                            : "payload";
      expect(std::vector<char>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size)), field);
    }
    std::vector<char> longer = bytes;
    longer.push_back('\0');
    expect(longer, "field 'checksum': 1 unexpected bytes after the checksum");
  }
  SUBCASE("a flipped byte in the payload or checksum") {
    for (size_t at : {size_t{20}, size_t{40}, bytes.size() / 2, bytes.size() - 5, bytes.size() - 1}) {
      std::vector<char> b = bytes;
      b[at] = static_cast<char>(b[at] ^ 0x10);
      CAPTURE(at);
      expect(b, "field 'checksum'");
    }
  }
  SUBCASE("flipping any single byte never loads and never crashes") {
    for (size_t at = 0; at < bytes.size(); ++at) {
      std::vector<char> b = bytes;
      b[at] = static_cast<char>(b[at] ^ 0x01);
      write_bytes(bad, b);
      CAPTURE(at);
      CHECK_THROWS_AS(load_checkpoint(bad), ValueError);
    }
  }
  SUBCASE("a consistent checksum over a damaged payload is caught by the field checks") {
    std::vector<char> b = bytes;
    const uint32_t huge = 0xFFFFFFFFu;
    std::memcpy(b.data() + 20, &huge, 4);  // the config entry count
    uint64_t payload_size;
    std::memcpy(&payload_size, b.data() + 12, 8);
    const uint32_t crc = crc32(std::span<const char>(b.data() + 20, payload_size));
    std::memcpy(b.data() + 20 + payload_size, &crc, 4);
    expect(b, "field 'config count': count 4294967295 cannot fit");
  }
  SUBCASE("a checkpoint of another model kind") {
    CHECK_THROWS_WITH_AS(load_checkpoint(good, "lstm"),
                         Contains("field 'config.kind' is 'linear', but a 'lstm' model was asked for"),
                         ValueError);
  }
  SUBCASE("a missing file") {
    CHECK_THROWS_WITH_AS(load_checkpoint(dir.path / "nope.syn"), Contains("nope.syn': no such file"),
                         ValueError);
  }
}

TEST_CASE("checkpoint: tensors that do not fit the model are named with the file") {
  TempDir dir("ckpt_mismatch");
  Checkpoint c = make_checkpoint(*masked_model(), sample_settings());
  c.tensors[0].second = Tensor::zeros(Shape{2, 5});
  CHECK_THROWS_WITH_AS(restore_model(c, "m.syn"),
                       Contains("m.syn: load_state_dict: shape mismatch for 'weight'"), ValueError);
  c.tensors.pop_back();
  CHECK_THROWS_WITH_AS(restore_model(c, "m.syn"), Contains("missing keys 'bias'"), ValueError);
}

TEST_CASE("checkpoint: atomic write leaves no temporary file and never clobbers on failure") {
  TempDir dir("ckpt_atomic");
  const fs::path p = saved(dir);
  CHECK(dir.entries() == std::vector<std::string>{"model.syn"});
  const std::vector<char> before = read_bytes(p);

  SUBCASE("overwriting replaces the file completely") {
    DataSettings other = sample_settings();
    other.target = "something else";
    save_checkpoint(p, make_checkpoint(*masked_model(), other));
    CHECK(load_checkpoint(p).data.target == "something else");
    CHECK(dir.entries() == std::vector<std::string>{"model.syn"});
  }
  SUBCASE("a write that fails half-way (file size limit) keeps the old file") {
    std::signal(SIGXFSZ, SIG_IGN);  // the write fails with EFBIG instead of killing the process
    rlimit old{};
    getrlimit(RLIMIT_FSIZE, &old);
    rlimit small = old;
    small.rlim_cur = 64;
    setrlimit(RLIMIT_FSIZE, &small);
    bool threw = false;
    std::string message;
    try {
      save_checkpoint(p, make_checkpoint(*masked_model(), sample_settings()));
    } catch (const Error& e) {
      threw = true;
      message = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, SIG_DFL);
    CHECK(threw);
    CHECK(message.find(p.string()) != std::string::npos);
    CHECK(dir.entries() == std::vector<std::string>{"model.syn"});
    CHECK(read_bytes(p) == before);
  }
  SUBCASE("a target that cannot be replaced (a directory) leaves nothing behind") {
    const fs::path d = dir.path / "taken";
    fs::create_directory(d);
    CHECK_THROWS_WITH_AS(save_checkpoint(d, make_checkpoint(*masked_model(), sample_settings())),
                         Contains("renaming the temporary file over it"), Error);
    CHECK(fs::is_directory(d));
    CHECK(dir.entries().size() == 2);
  }
  SUBCASE("a missing directory") {
    CHECK_THROWS_WITH_AS(
        save_checkpoint(dir.path / "no" / "m.syn", make_checkpoint(*masked_model(), sample_settings())),
        Contains("creating a temporary file"), Error);
  }
  SUBCASE("an undefined tensor is refused before anything is written") {
    Checkpoint c = make_checkpoint(*masked_model(), sample_settings());
    c.tensors[1].second = Tensor();
    CHECK_THROWS_WITH_AS(save_checkpoint(p, c), Contains("tensor 'bias' is undefined"), ValueError);
    CHECK(read_bytes(p) == before);
    CHECK(dir.entries() == std::vector<std::string>{"model.syn"});
  }
}
