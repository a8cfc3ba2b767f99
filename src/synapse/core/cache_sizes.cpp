#include "synapse/core/cache_sizes.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "synapse/core/error.hpp"

namespace syn {

namespace {

std::string read_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// CPUs in a list such as "0-3,8,10-11" (0 when it cannot be read).
int64_t count_cpus(const std::string& list) {
  int64_t count = 0;
  std::stringstream items(list);
  std::string item;
  while (std::getline(items, item, ',')) {
    int lo = 0, hi = 0;
    char dash = 0;
    std::stringstream range(item);
    if (!(range >> lo)) return 0;
    hi = lo;
    if (range >> dash && !(dash == '-' && range >> hi)) return 0;
    if (hi < lo) return 0;
    count += hi - lo + 1;
  }
  return count;
}

CacheSizes read_sysconf_caches() {
  CacheSizes out;
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE) && defined(_SC_LEVEL3_CACHE_SIZE)
  out.l1d = std::max<int64_t>(0, sysconf(_SC_LEVEL1_DCACHE_SIZE));
  out.l2 = std::max<int64_t>(0, sysconf(_SC_LEVEL2_CACHE_SIZE));
  out.l3 = std::max<int64_t>(0, sysconf(_SC_LEVEL3_CACHE_SIZE)) / std::max<int64_t>(1, sysconf(_SC_NPROCESSORS_ONLN));
#endif
#if defined(_SC_LEVEL1_DCACHE_ASSOC)
  out.l1d_ways = std::max<int64_t>(0, sysconf(_SC_LEVEL1_DCACHE_ASSOC));
#endif
  return out;
}

CacheSizes detect() {
  const CacheSizes sysfs = read_sysfs_caches("/sys/devices/system/cpu/cpu0");
  const CacheSizes conf = read_sysconf_caches();
  const auto pick = [](int64_t a, int64_t b, int64_t fallback) { return a > 0 ? a : b > 0 ? b : fallback; };
  return {pick(sysfs.l1d, conf.l1d, kFallbackCaches.l1d), pick(sysfs.l2, conf.l2, kFallbackCaches.l2),
          pick(sysfs.l3, conf.l3, kFallbackCaches.l3),
          pick(sysfs.l1d_ways, conf.l1d_ways, kFallbackCaches.l1d_ways)};
}

}  // namespace

int64_t parse_byte_size(const std::string& what, const std::string& text) {
  const auto bad = [&] {
    return ValueError(detail::concat(what, "=", detail::excerpt(text),
                                     ": expected a positive number of bytes up to 1 TiB, such as 2097152, "
                                     "2048K or 2M"));
  };
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 13) throw bad();
  int64_t unit = 1;
  if (digits + 1 == text.size()) {
    switch (text[digits]) {
      case 'K': unit = int64_t{1} << 10; break;
      case 'M': unit = int64_t{1} << 20; break;
      case 'G': unit = int64_t{1} << 30; break;
      default: throw bad();
    }
  } else if (digits != text.size()) {
    throw bad();
  }
  const int64_t count = std::stoll(text.substr(0, digits));
  if (count == 0 || count > (int64_t{1} << 40) / unit) throw bad();
  return count * unit;
}

CacheSizes read_sysfs_caches(const std::string& cpu_dir) {
  CacheSizes out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(cpu_dir) / "cache", ec)) {
    if (entry.path().filename().string().rfind("index", 0) != 0) continue;
    const std::string type = read_line(entry.path() / "type"), level = read_line(entry.path() / "level");
    if (type != "Data" && type != "Unified") continue;
    int64_t bytes = 0;
    try {
      bytes = parse_byte_size("cache size", read_line(entry.path() / "size"));
    } catch (const ValueError&) {
      continue;
    }
    if (level == "1") {
      out.l1d = bytes;
      out.l1d_ways = std::max(0, std::atoi(read_line(entry.path() / "ways_of_associativity").c_str()));
    } else if (level == "2") {
      out.l2 = bytes;
    } else if (level == "3") {
      out.l3 = bytes / std::max<int64_t>(1, count_cpus(read_line(entry.path() / "shared_cpu_list")));
    }
  }
  return out;
}

CacheSizes apply_cache_override(CacheSizes detected, const char* l2) {
  if (l2 != nullptr && *l2 != '\0') detected.l2 = parse_byte_size("SYN_L2_BYTES", l2);
  return detected;
}

const CacheSizes& cache_sizes() {
  static const CacheSizes sizes = apply_cache_override(detect(), std::getenv("SYN_L2_BYTES"));
  return sizes;
}

}  // namespace syn
