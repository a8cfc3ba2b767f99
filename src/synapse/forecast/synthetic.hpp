#pragma once
// make_synthetic: a seeded, realistic hourly series for demos and tests (Note [Synthetic series]).
#include <cstdint>

#include "synapse/forecast/calendar.hpp"
#include "synapse/forecast/table.hpp"

namespace syn::forecast {

// Note [Synthetic series]
// Hourly rows from 2024-01-01 00:00 (a Monday); t is the row, h = t mod 24 the hour, d the weekday.
//   temperature[t] = 12 + 7·sin(2π(h − 9)/24) + u[t],    u[t] = 0.9·u[t−1] + N(0, 0.5²)
//   demand[t]      = 100 + 0.004·t                                   trend
//                  + a[t]·(12·sin(2π(h − 6)/24) + 5·sin(4π(h − 6)/24))  daily cycle, two peaks
//                  − 15 on Saturday and Sunday, − 4 on Friday          weekly cycle
//                  + 0.8·(temperature[t] − 12)                        covariate effect
//                  + 25 from the regime change on                     level shift
//                  + e[t],    e[t] = 0.8·e[t−1] + N(0, 2.5²)          AR(1) noise
// with a[t] = 1 before the regime change and 1.4 after it. The regime change is at row
// floor(0.6·rows), inside the training part of the default split, so a model sees both regimes.
// The two noise streams are Generator(seed, 0) and Generator(seed, 1): same seed, same table.
struct SyntheticOptions {
  int64_t rows = 24 * 7 * 26;  // 26 weeks
  uint64_t seed = 42;
  DateHandling dates = DateHandling::drop;
};

// Columns temperature and demand (the target), plus calendar features per `dates`; timestamps
// "2024-01-01 00:00:00", ...; source "<synthetic>". ValueError when rows < 1.
Table make_synthetic(const SyntheticOptions& options = {});

}  // namespace syn::forecast
