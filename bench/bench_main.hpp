#pragma once
// The main() of a benchmark binary whose cases are registered at run time (per ISA, per shape):
// SYN_BENCH_MAIN(register_all) calls register_all() and then runs Google Benchmark as usual.
#include <benchmark/benchmark.h>

#define SYN_BENCH_MAIN(register_fn)                                        \
  int main(int argc, char** argv) {                                        \
    register_fn();                                                         \
    benchmark::Initialize(&argc, argv);                                    \
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;      \
    benchmark::RunSpecifiedBenchmarks();                                   \
    benchmark::Shutdown();                                                 \
    return 0;                                                              \
  }
