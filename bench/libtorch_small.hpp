#pragma once
// bench_small's libtorch peer rows (libtorch_small.cpp), linked only when CMake finds libtorch-dev.
#include <cstdint>
#include <string>

namespace syn::bench {

// Registers BM_train_step_libtorch/<kind>_small/T:<lookback>/f:<features>; kind: "lstm" or "rnn".
void register_libtorch_small(const std::string& kind, int64_t lookback, int64_t features);

}  // namespace syn::bench
