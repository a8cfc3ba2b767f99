// libFuzzer target: the CSV reader (forecast::parse_csv) and the series selection after it. The first
// byte chooses the options (delimiter, decimal separator, date handling, missing-value policy); the
// rest is the file. Any ValueError is an accepted outcome; anything else (a crash, a sanitizer report,
// another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "synapse/core/error.hpp"
#include "synapse/forecast/csv_reader.hpp"
#include "synapse/forecast/selection.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace syn::forecast;
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  CsvOptions options;
  options.delimiter = "\0,;\t"[mode & 3];
  options.decimal = (mode >> 2 & 1) ? DecimalSeparator::comma : DecimalSeparator::automatic;
  options.dates = (mode >> 3 & 1) ? DateHandling::calendar_plain : DateHandling::drop;
  if (mode >> 4 & 1) options.missing_values = {-200};
  try {
    const Table table = parse_csv(text, options, "fuzz.csv");
    if (table.cols() == 0) return 0;
    Selection selection;
    selection.target = table.names().front();
    selection.missing = (mode >> 5 & 1) ? MissingPolicy::forward_fill : MissingPolicy::drop_rows;
    select_series(table, selection);
  } catch (const syn::ValueError&) {
  }
  return 0;
}
