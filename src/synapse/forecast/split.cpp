#include "synapse/forecast/split.hpp"

#include <cmath>
#include <sstream>

#include "synapse/core/error.hpp"

namespace syn::forecast {
namespace {

int64_t part(int64_t rows, double fraction) {
  // The small epsilon keeps 0.7·1000 = 699.9999... from losing a row.
  return static_cast<int64_t>(std::floor(static_cast<double>(rows) * fraction + 1e-9));
}

void describe_range(std::ostringstream& out, const char* name, const RowRange& r) {
  out << name << " " << r.begin << ".." << r.end - 1 << " (" << r.size() << ")";
}

}  // namespace

Split split_rows(int64_t rows, const Protocol& protocol) {
  SYN_CHECK_T(ValueError, rows > 0, "split: the series has ", rows, " rows");
  const int64_t n_train = part(rows, protocol.train);
  const int64_t n_val = protocol.kind == ProtocolKind::paper ? 0 : part(rows, protocol.val);
  const int64_t n_test = rows - n_train - n_val;
  const auto check = [&](const char* name, int64_t n, double fraction) {
    SYN_CHECK_T(ValueError, n > 0, "split: the ", name, " part of ", rows, " rows is empty (fraction ",
                fraction, " under protocol ", protocol.name(), "); the series is too short");
  };
  check("train", n_train, protocol.train);
  if (protocol.val > 0) check("validation", n_val, protocol.val);
  check("test", n_test, protocol.test);

  Split s;
  s.protocol = protocol;
  s.rows = rows;
  s.train = {0, n_train};
  s.test = {n_train + n_val, rows};
  s.val = protocol.early_stopping_on_test() ? s.test : RowRange{n_train, n_train + n_val};
  s.scaler_fit = protocol.scaler_on_whole_series() ? RowRange{0, rows} : s.train;
  return s;
}

std::string Split::describe() const {
  std::ostringstream out;
  out << rows << " rows: ";
  describe_range(out, "train", train);
  if (protocol.early_stopping_on_test()) {
    out << ", ";
    describe_range(out, "test", test);
    out << " (also the early-stopping set)";
  } else {
    if (val.size() > 0) {
      out << ", ";
      describe_range(out, "validation", val);
    }
    out << ", ";
    describe_range(out, "test", test);
  }
  out << "; scaler fitted on rows " << scaler_fit.begin << ".." << scaler_fit.end - 1;
  return out.str();
}

}  // namespace syn::forecast
