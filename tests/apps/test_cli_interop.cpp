// `synapse export` and `synapse import`: a checkpoint survives the round trip byte for byte, a
// torch-pruned LSTM imports and forecasts, and bad files exit 2 naming the tensor.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "apps/cli_runner.hpp"
#include "support/data.hpp"
#include "support/temp_dir.hpp"

using namespace syn::testing;

namespace {

std::string bytes_of(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string kPrunedLstm = std::string(SYN_FIXTURE_DIR) + "/safetensors/lstm_pruned.safetensors";
const std::string kTorchOptions = " --model lstm --lookback 12 --horizon 3 --model-opt hidden_size=8 --target y --features x";

}  // namespace

TEST_CASE("cli interop: export then import gives back the checkpoint byte for byte, target transform included") {
  const TempDir dir("syn_cli_interop");
  const std::string csv = write_synthetic_csv((dir.path / "s.csv").string(), 400);
  const std::string model = (dir.path / "m.syn").string(), st = (dir.path / "m.safetensors").string();
  REQUIRE(run_cli("train --data " + quoted(csv) + " --target demand --features temperature --model gru --lookback 24 "
                  "--horizon 4 --epochs 2 --reg pruning --prune-begin 0 --prune-every 5 --model-opt hidden_size=8 "
                  "--transform diff --no-progress --out " + quoted(model), dir.path).status == 0);
  const CliResult e = run_cli("export " + quoted(model) + " --format safetensors --out " + quoted(st), dir.path);
  CHECK(e.status == 0);
  CHECK(e.err.find("wrote 14 tensors") != std::string::npos);  // the GRU stack and head (10) and the 4 masks the pruner set
  const std::string back = (dir.path / "back.syn").string();
  REQUIRE(run_cli("import " + quoted(st) + " --out " + quoted(back), dir.path).status == 0);
  CHECK(bytes_of(back) == bytes_of(model));
}

TEST_CASE("cli interop: a torch-pruned LSTM imports with its masks and forecasts") {
  const TempDir dir("syn_cli_interop_torch");
  const std::string model = (dir.path / "p.syn").string();
  const CliResult r = run_cli("import " + quoted(kPrunedLstm) + kTorchOptions + " --out " + quoted(model), dir.path);
  REQUIRE(r.status == 0);
  const CliResult inspect = run_cli("inspect " + quoted(model), dir.path);
  CHECK(inspect.out.find("rnn.weight_hh_l1_mask") == std::string::npos);
  CHECK(inspect.out.find("987 total, 475 live, sparsity 51.87%") != std::string::npos);  // 0.6 of 832 and 0.5 of 24 weights pruned, biases live
}

TEST_CASE("cli interop: bad safetensors files exit 2 naming the tensor") {
  const TempDir dir("syn_cli_interop_bad");
  const std::string out = " --out " + quoted((dir.path / "x.syn").string());
  const CliResult shape = run_cli("import " + quoted(kPrunedLstm) + " --model lstm --lookback 12 --horizon 3 "
                                  "--model-opt hidden_size=6 --target y --features x" + out, dir.path);
  CHECK(shape.status == 2);
  CHECK(shape.err.find("tensor 'rnn.weight_ih_l0_orig' has shape (32, 2), but the model's 'rnn.weight_ih_l0' is (24, 2)") !=
        std::string::npos);
  const CliResult extra = run_cli("import " + quoted(kPrunedLstm) + kTorchOptions + " --model-opt num_layers=1" + out,
                                  dir.path);
  CHECK(extra.status == 2);
  CHECK(extra.err.find("tensor 'rnn.bias_ih_l1' is unexpected") != std::string::npos);
  const std::string truncated = (dir.path / "t.safetensors").string();
  const std::string full = bytes_of(kPrunedLstm);
  std::ofstream(truncated, std::ios::binary) << full.substr(0, full.size() - 4);
  const CliResult cut = run_cli("import " + quoted(truncated) + kTorchOptions + out, dir.path);
  CHECK(cut.status == 2);
  CHECK(cut.err.find("are out of range of the") != std::string::npos);
  const CliResult no_target = run_cli("import " + quoted(kPrunedLstm) + out, dir.path);
  CHECK(no_target.status == 2);
  CHECK(no_target.err.find("has no synapse metadata, so --target") != std::string::npos);
}
