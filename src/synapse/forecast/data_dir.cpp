#include "synapse/forecast/data_dir.hpp"

#include <cstdlib>
#include <vector>

#include "synapse/core/error.hpp"

namespace syn::forecast {

std::filesystem::path data_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("SYN_DATA_DIR"); env && *env) {
    SYN_CHECK_T(ValueError, fs::is_directory(env, ec), "data_dir: SYN_DATA_DIR is '", env,
                "', which is not a directory (expected the folder holding the datasets)");
    return fs::path(env);
  }
  std::vector<fs::path> tried;
  if (const char* source = std::getenv("SYN_SOURCE_DIR"); source && *source)
    tried.push_back(fs::path(source) / ".." / "shared" / "data");
  tried.push_back(fs::current_path(ec) / ".." / "shared" / "data");
  for (const fs::path& candidate : tried)
    if (fs::is_directory(candidate, ec)) return candidate.lexically_normal();
  std::string list;
  for (const fs::path& candidate : tried) {
    if (!list.empty()) list += ", ";
    list += candidate.string();
  }
  throw ValueError("data_dir: the dataset folder was not found; SYN_DATA_DIR is not set and none of " + list +
                   " exists (set SYN_DATA_DIR to the folder holding the datasets)");
}

std::filesystem::path data_file(const std::string& name) {
  const std::filesystem::path path = data_dir() / name;
  std::error_code ec;
  SYN_CHECK_T(ValueError, std::filesystem::is_regular_file(path, ec), "data_file: '", path.string(),
              "' does not exist (expected the dataset ", name, " in the data folder)");
  return path;
}

}  // namespace syn::forecast
