#include "synapse/core/process_memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

namespace syn {

size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");  // total and resident size, in pages
  size_t total = 0, resident = 0;
  if (!(statm >> total >> resident)) return 0;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

size_t peak_resident_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<size_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
}

}  // namespace syn
