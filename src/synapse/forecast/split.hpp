#pragma once
// Split: the row ranges of a chronological train/validation/test split under a Protocol.
#include <cstdint>
#include <string>

#include "synapse/forecast/protocol.hpp"

namespace syn::forecast {

// Rows [begin, end) of a series.
struct RowRange {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t size() const { return end - begin; }
  friend bool operator==(const RowRange&, const RowRange&) = default;
};

struct Split {
  Protocol protocol;
  int64_t rows = 0;
  RowRange train, val, test;  // consecutive; paper: val == test (early stopping on test)
  RowRange scaler_fit;        // clean: train; paper: every row

  // "1000 rows: train 0..699 (700), validation 700..799 (100), test 800..999 (200)".
  std::string describe() const;
};

// Sizes: train = floor(rows·train), val = floor(rows·val), test = the rest. Every part must get at
// least one row (val only when its fraction is > 0); ValueError naming the part otherwise.
Split split_rows(int64_t rows, const Protocol& protocol);

}  // namespace syn::forecast
