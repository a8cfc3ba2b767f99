#pragma once
// Where the real datasets live (Note [Data directory]).
#include <filesystem>
#include <string>

namespace syn::forecast {

// Note [Data directory]
// The datasets (bitcoin.csv, AAPL_data.csv, AirQualityUCI.csv, ETTh1.csv) are never part of the
// repository. data_dir() looks, in order, at
//   1. $SYN_DATA_DIR (when set it must be a directory: a typo is an error, not a silent fallback);
//   2. $SYN_SOURCE_DIR/../shared/data (ctest sets SYN_SOURCE_DIR to the source tree);
//   3. ../shared/data relative to the current working directory;
// and returns the first directory that exists. Otherwise a ValueError lists every path it tried.
std::filesystem::path data_dir();

// data_dir() / name, which must be a file (ValueError naming the full path otherwise).
std::filesystem::path data_file(const std::string& name);

}  // namespace syn::forecast
