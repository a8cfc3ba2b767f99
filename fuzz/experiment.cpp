// libFuzzer target: the files of `synapse experiment`: the grid (forecast::ExperimentGrid::load) and
// the results file (forecast::read_results). The first byte chooses the reader (even: grid, odd:
// results); the rest is written to a file in a folder of this process and read from there, as the CLI
// does. The folder also holds an empty data.csv, so a grid naming it finds its dataset beside the grid
// file and is parsed to the end. A ValueError is an accepted outcome for the grid; the results reader
// reports bad lines as problems and must not throw at all. Anything else is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "synapse/core/error.hpp"
#include "synapse/forecast/experiment_grid.hpp"
#include "synapse/forecast/results_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace syn::forecast;
  if (size == 0) return 0;
  static const std::filesystem::path dir = [] {
    const auto d = std::filesystem::temp_directory_path() / ("synapse_fuzz_experiment_" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    std::ofstream(d / "data.csv");
    std::atexit([] { std::filesystem::remove_all(dir); });
    return d;
  }();
  const std::filesystem::path file = dir / "grid.json";
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  if (data[0] & 1) {
    read_results({file});
    return 0;
  }
  try {
    ExperimentGrid::load(file);
  } catch (const syn::ValueError&) {
  }
  return 0;
}
