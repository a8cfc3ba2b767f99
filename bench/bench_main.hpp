#pragma once
// The main() of a benchmark binary whose cases are registered at run time (per ISA, per shape):
// SYN_BENCH_MAIN(register_all) calls register_all() and then runs Google Benchmark as usual.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <exception>

// An error (a bad SYN_* environment variable, an allocation failure) ends the binary with its message
// and exit status 2 instead of std::terminate.
#define SYN_BENCH_MAIN(register_fn)                                        \
  int main(int argc, char** argv) {                                        \
    try {                                                                  \
      register_fn();                                                       \
      benchmark::Initialize(&argc, argv);                                  \
      if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;    \
      benchmark::RunSpecifiedBenchmarks();                                 \
      benchmark::Shutdown();                                               \
      return 0;                                                            \
    } catch (const std::exception& e) {                                    \
      std::fprintf(stderr, "%s: %s\n", argv[0], e.what());                 \
      return 2;                                                            \
    }                                                                      \
  }
