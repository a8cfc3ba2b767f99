#include "support/data.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "synapse/core/error.hpp"
#include "synapse/forecast/data_dir.hpp"
#include "synapse/forecast/synthetic.hpp"

namespace syn::testing {

std::optional<std::string> require_dataset(const std::string& name) {
  try {
    return forecast::data_file(name).string();
  } catch (const Error& e) {
    const char* data_dir = std::getenv("SYN_DATA_DIR");
    const std::string setting =
        data_dir && *data_dir ? "SYN_DATA_DIR is '" + std::string(data_dir) + "'" : "SYN_DATA_DIR is not set";
    const std::string reason = std::string(e.what()) + " (" + setting + ")";
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL("the dataset " << name << " is missing, and with CI=true that is a failure: " << reason);
    std::cout << "SYN_TEST_SKIPPED: this test needs the dataset " << name << ", which is missing: " << reason
              << "; point SYN_DATA_DIR at the folder holding the datasets to run it" << std::endl;
    return std::nullopt;
  }
}

std::string write_synthetic_csv(const std::string& path, int64_t rows) {
  forecast::SyntheticOptions options;
  options.rows = rows;
  options.dates = forecast::DateHandling::calendar_plain;
  const forecast::Table table = forecast::make_synthetic(options);
  std::ofstream out(path);
  out << "time";
  for (const std::string& name : table.names()) out << ',' << name;
  out << '\n' << std::setprecision(17);
  for (int64_t r = 0; r < rows; ++r) {
    out << table.timestamps()[static_cast<size_t>(r)];
    for (int64_t c = 0; c < table.cols(); ++c) out << ',' << table.column(c).numbers[static_cast<size_t>(r)];
    out << '\n';
  }
  out.close();
  SYN_CHECK_T(ValueError, !out.fail(), "write_synthetic_csv: could not write '", path, "'");
  return path;
}

}  // namespace syn::testing
