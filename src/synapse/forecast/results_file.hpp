#pragma once
// Results files of experiment grids: JSON Lines, one finished run per line (Note [Results files]).
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace syn::forecast {

// Note [Results files]
// Every finished run appends one line: a JSON object with at least "key" (RunSpec::key), "settings"
// (the run's settings object) and "metrics" (with "mae"). A line is appended by one write(2) on a
// descriptor opened with O_APPEND, under an exclusive flock(2), so processes sharing a file never
// interleave lines; the line is in the file as soon as the call returns, so an interrupted grid loses
// at most the run in progress. If the file does not end with a newline (a line cut short, e.g. by a
// full disk) the new line starts on a line of its own. Readers skip a line that is not such an object,
// reporting its file and line number, and keep the first line of each key (the union of several files
// counts a run once).

// Appends `record` as one line. syn::Error naming the file when it cannot be opened or written.
void append_result(const std::filesystem::path& file, const nlohmann::json& record);

struct ResultsProblem {
  std::string file;
  int64_t line = 0;  // 1-based
  std::string message;
  std::string describe() const;  // "results.jsonl line 7: not valid JSON (...)"
};

struct Results {
  std::vector<nlohmann::json> records;  // in file order, each key once
  std::vector<ResultsProblem> problems;
  int64_t duplicates = 0;  // lines whose key an earlier line had
};

// Reads the files in order. A missing file is a ValueError naming it unless missing_ok (then it adds
// nothing).
Results read_results(const std::vector<std::filesystem::path>& files, bool missing_ok = false);

// The keys of the runs a results file holds (none when it does not exist).
std::set<std::string> finished_keys(const Results& results);

}  // namespace syn::forecast
