#include "synapse/forecast/results_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "synapse/core/error.hpp"

namespace syn::forecast {
namespace {

// Holds an open descriptor and an exclusive flock on it.
class LockedAppend {
 public:
  explicit LockedAppend(const std::filesystem::path& file) : file_(file.string()) {
    fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    SYN_CHECK_T(Error, fd_ >= 0, "results file '", file_, "': cannot open for appending: ", std::strerror(errno));
    if (::flock(fd_, LOCK_EX) != 0) {
      const int err = errno;
      ::close(fd_);
      throw Error(detail::concat("results file '", file_, "': cannot lock: ", std::strerror(err)));
    }
  }
  ~LockedAppend() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  LockedAppend(const LockedAppend&) = delete;
  LockedAppend& operator=(const LockedAppend&) = delete;

  bool ends_without_newline() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || st.st_size == 0) return false;
    char last = '\n';
    const int rd = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
    if (rd < 0) return false;
    const bool read = ::pread(rd, &last, 1, st.st_size - 1) == 1;
    ::close(rd);
    return read && last != '\n';
  }

  void write_all(const std::string& text) const {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    SYN_CHECK_T(Error, n == static_cast<ssize_t>(text.size()), "results file '", file_, "': write failed: ",
                n < 0 ? std::strerror(errno) : "short write");
  }

 private:
  std::string file_;
  int fd_ = -1;
};

}  // namespace

void append_result(const std::filesystem::path& file, const nlohmann::json& record) {
  const LockedAppend out(file);
  std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (out.ends_without_newline()) line.insert(line.begin(), '\n');
  out.write_all(line);
}

std::string ResultsProblem::describe() const { return detail::concat(file, " line ", line, ": ", message); }

Results read_results(const std::vector<std::filesystem::path>& files, bool missing_ok) {
  Results r;
  std::set<std::string> keys;
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file);
    if (!in.good()) {
      SYN_CHECK_T(ValueError, missing_ok && !std::filesystem::exists(file), "results file '", file.string(),
                  "': cannot read it");
      continue;
    }
    std::string text;
    int64_t line = 0;
    while (std::getline(in, text)) {
      ++line;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto problem = [&](const std::string& message) { r.problems.push_back({file.string(), line, message}); };
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(text);
      } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
        problem(detail::concat("not valid JSON (", e.what(), ")"));
        continue;
      }
      if (!j.is_object() || !j.contains("key") || !j["key"].is_string() || !j.contains("settings") ||
          !j["settings"].is_object() || !j.contains("metrics") || !j["metrics"].is_object() ||
          !j["metrics"].contains("mae")) {
        problem("not a run record (an object with \"key\", \"settings\" and \"metrics\".\"mae\")");
        continue;
      }
      if (!keys.insert(j["key"].get<std::string>()).second) {
        ++r.duplicates;
        continue;
      }
      r.records.push_back(std::move(j));
    }
  }
  return r;
}

std::set<std::string> finished_keys(const Results& results) {
  std::set<std::string> keys;
  for (const nlohmann::json& j : results.records) keys.insert(j["key"].get<std::string>());
  return keys;
}

}  // namespace syn::forecast
