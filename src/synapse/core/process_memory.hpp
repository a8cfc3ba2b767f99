#pragma once
// The resident memory of this process, for reports (`synapse train`'s "peak_rss_mb") and for the test
// that a training run does not grow from epoch to epoch (tests/train/test_memory.cpp).
#include <cstddef>

namespace syn {

// Bytes resident now (Linux: /proc/self/statm); 0 where the system does not say.
size_t resident_bytes();
// The most bytes this process has had resident (getrusage's ru_maxrss).
size_t peak_resident_bytes();

}  // namespace syn
