// `synapse train` killed and resumed (Note [Resumable training]): a run SIGKILLed at several points and
// resumed with --resume ends with a model file bitwise equal to an uninterrupted run's; Ctrl-C stops
// after the current batch, saves the best weights so far and exits 130.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "apps/cli_checks.hpp"
#include "apps/cli_runner.hpp"
#include "support/data.hpp"
#include "support/temp_dir.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/train_state.hpp"

using namespace syn::testing;
namespace fs = std::filesystem;

namespace {

// `synapse args...` in the background, stdout and stderr into files.
pid_t spawn_cli(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dup2(o, 1);
  dup2(e, 2);
  std::vector<char*> argv = {const_cast<char*>(SYN_CLI_PATH)};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(SYN_CLI_PATH, argv.data());
  _exit(127);
}

// Waits until the training state at `path` has at least `epoch` epochs or the process ended; true
// when the state got there.
bool wait_for_epoch(const fs::path& path, int64_t epoch, pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(path) && syn::train::load_train_state(path).epoch >= epoch) return true;
    if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

std::vector<char> bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string text_of(const fs::path& path) {
  const std::vector<char> b = bytes_of(path);
  return {b.begin(), b.end()};
}

// `extra`: the regulariser and its options.
std::vector<std::string> train_args(const TempDir& dir, const std::string& out,
                                    const std::vector<std::string>& extra = {"--reg", "pruning"}) {
  std::vector<std::string> args = {"train", "--data", dir.file("series.csv"), "--target", "demand", "--model", "lstm",
                                   "--lookback", "24", "--horizon", "6", "--model-opt", "hidden_size=8", "--epochs",
                                   "6", "--seed", "4", "--no-progress", "--no-early-stopping", "--out", dir.file(out)};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) out += quoted(a) + " ";
  return out;
}


// Trains to full.syn uninterrupted, then kills a run after each of `kill_points` epochs, resumes it
// and compares the model files byte for byte.
void check_resume_bitwise(const std::string& name, const std::vector<std::string>& extra,
                          const std::vector<int64_t>& kill_points) {
  TempDir dir(name);
  write_synthetic_csv(dir.file("series.csv"), 600);
  const CliResult full = run_cli(joined(train_args(dir, "full.syn", extra)), dir.path);
  INFO(full.err);
  REQUIRE(full.status == 0);
  const std::vector<char> expected = bytes_of(dir.path / "full.syn");
  for (int64_t kill_after : kill_points) {  // killed during the epoch after this one
    std::vector<std::string> args = train_args(dir, "k.syn", extra);
    args.insert(args.end(), {"--checkpoint-every", "1"});
    const fs::path state = dir.path / "k.syn.state";
    fs::remove(state);
    fs::remove(dir.path / "k.syn");
    const pid_t pid = spawn_cli(args, dir.path / "k.out", dir.path / "k.err");
    const bool reached = wait_for_epoch(state, kill_after, pid);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    INFO("killed after epoch " << kill_after << "; stderr: " << text_of(dir.path / "k.err"));
    REQUIRE(reached);
    CHECK(WIFSIGNALED(status));
    CHECK(!fs::exists(dir.path / "k.syn"));  // it was killed before the end
    args.insert(args.end(), {"--resume", state.string()});
    const CliResult resumed = run_cli(joined(args), dir.path);
    INFO(resumed.err);
    REQUIRE(resumed.status == 0);
    CHECK(nlohmann::json::parse(resumed.out)["training"]["resumed_after"].get<int64_t>() >= kill_after);
    CHECK(bytes_of(dir.path / "k.syn") == expected);
  }
}

}  // namespace

TEST_CASE("cli resume: a run killed with SIGKILL and resumed ends bitwise equal to an uninterrupted run") {
  check_resume_bitwise("cli_resume", {"--reg", "pruning"}, {1, 3, 5});
}

TEST_CASE("cli resume: dropout masks and the random pruning score continue their streams") {
  // Both streams are saved in the state: the model's dropout generator and the pruner's.
  check_resume_bitwise("cli_resume_random", {"--reg", "pruning+dropout", "--dropout", "0.3", "--score", "random"}, {3});
}

TEST_CASE("cli resume: Ctrl-C stops after the current batch, saves the best weights and exits 130") {
  TempDir dir("cli_interrupt");
  write_synthetic_csv(dir.file("series.csv"), 600);
  std::vector<std::string> args = train_args(dir, "i.syn");
  *(std::find(args.begin(), args.end(), "--epochs") + 1) = "400";  // far more than will run
  args.insert(args.end(), {"--checkpoint-every", "1"});
  const pid_t pid = spawn_cli(args, dir.path / "i.out", dir.path / "i.err");
  const bool reached = wait_for_epoch(dir.path / "i.syn.state", 2, pid);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string err = text_of(dir.path / "i.err");
  INFO(err);
  REQUIRE(reached);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(contains(err, "interrupted after batch"));
  const nlohmann::json out = nlohmann::json::parse(text_of(dir.path / "i.out"));
  CHECK(out["training"]["stop_reason"] == "interrupted");
  CHECK(out["training"]["kept_epoch"].get<int64_t>() >= 2);
  CHECK(out["metrics"]["mae"].is_number());
  CHECK_NOTHROW(syn::train::load_checkpoint(dir.path / "i.syn"));
}
