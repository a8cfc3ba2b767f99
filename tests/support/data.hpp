#pragma once
// Data for tests: require_dataset, the path of a real dataset or a skip that ctest reports when it
// is missing (Note [Tests that need a real dataset]), and write_synthetic_csv, a generated file.
#include <cstdint>
#include <optional>
#include <string>

namespace syn::testing {

// Note [Tests that need a real dataset]
// The real datasets are never part of the repository (Note [Data directory] in
// forecast/data_dir.hpp), so a fresh clone has none. A test that needs one starts with
//     const std::optional<std::string> path = require_dataset("bitcoin.csv");
//     if (!path) return;
// When the file is found, require_dataset returns its path. When it is missing:
//   - with CI=true in the environment the test fails, naming the file and the reason, so CI never
//     skips a dataset test silently (.ci/run sets CI=true);
//   - otherwise it prints a line starting "SYN_TEST_SKIPPED:" with the reason and SYN_DATA_DIR and
//     returns nullopt; the test returns, and ctest reports it as skipped (SKIP_REGULAR_EXPRESSION in
//     tests/CMakeLists.txt).
// Tests that only need some data, not these particular files, write generated files instead.
std::optional<std::string> require_dataset(const std::string& name);

// Writes make_synthetic's hourly series of `rows` rows (seed 42) to `path` as CSV and returns `path`:
// columns time ("2024-01-01 00:00:00", ...), temperature, demand, hour, day_of_week, month, the
// numbers with 17 significant digits (Note [Synthetic series] in forecast/synthetic.hpp).
std::string write_synthetic_csv(const std::string& path, int64_t rows);

}  // namespace syn::testing
