// Cache sizes read at run time: sysfs parsing, the SYN_L2_BYTES override and its errors, and what
// this CPU reports.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "synapse/core/cache_sizes.hpp"
#include "synapse/core/error.hpp"

using namespace syn;

namespace {

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file) << text << "\n";
}

void add_cache(const std::filesystem::path& cpu, int index, const std::string& level, const std::string& type,
               const std::string& size, const std::string& shared) {
  const auto dir = cpu / "cache" / ("index" + std::to_string(index));
  std::filesystem::create_directories(dir);
  write(dir / "level", level);
  write(dir / "type", type);
  write(dir / "size", size);
  write(dir / "shared_cpu_list", shared);
  write(dir / "ways_of_associativity", level == "1" ? "12" : "16");
}

}  // namespace

TEST_CASE("cache sizes: sysfs levels, the L3 divided among the CPUs sharing it, instruction caches skipped") {
  const auto cpu = std::filesystem::temp_directory_path() / "syn_test_cache_sizes" / "cpu0";
  std::filesystem::remove_all(cpu.parent_path());
  add_cache(cpu, 0, "1", "Data", "48K", "0");
  add_cache(cpu, 1, "1", "Instruction", "32K", "0");
  add_cache(cpu, 2, "2", "Unified", "2048K", "0-1");
  add_cache(cpu, 3, "3", "Unified", "32768K", "0-3,8,10-12");
  const CacheSizes got = read_sysfs_caches(cpu.string());
  CHECK(got.l1d == 48 << 10);
  CHECK(got.l2 == 2 << 20);
  CHECK(got.l3 == (32 << 20) / 8);
  CHECK(got.l1d_ways == 12);
  std::filesystem::remove_all(cpu.parent_path());

  const CacheSizes none = read_sysfs_caches("/nonexistent/cpu0");
  CHECK(none.l1d == 0);
  CHECK(none.l2 == 0);
  CHECK(none.l3 == 0);
}

TEST_CASE("cache sizes: this CPU's (or the fallback) are plausible") {
  const CacheSizes& c = cache_sizes();
  CHECK(c.l1d >= 4 << 10);
  CHECK(c.l1d <= 4 << 20);
  CHECK(c.l2 >= 64 << 10);
  CHECK(c.l3 > 0);
  CHECK(c.l1d_ways >= 1);
  CHECK(c.l1d_ways <= 64);
  if (std::getenv("SYN_L2_BYTES") == nullptr) CHECK(c.l2 >= c.l1d);
}

TEST_CASE("cache sizes: SYN_L2_BYTES replaces the detected L2, bad values name the variable") {
  const CacheSizes detected{32 << 10, 1 << 20, 4 << 20};
  CHECK(apply_cache_override(detected, nullptr).l2 == detected.l2);
  CHECK(apply_cache_override(detected, "").l2 == detected.l2);
  const CacheSizes xeon = apply_cache_override(detected, "2M");
  CHECK(xeon.l1d == detected.l1d);
  CHECK(xeon.l2 == 2 << 20);
  CHECK(xeon.l3 == detected.l3);
  CHECK(apply_cache_override(detected, "2048K").l2 == 2 << 20);
  CHECK(apply_cache_override(detected, "2097152").l2 == 2 << 20);
  CHECK(apply_cache_override(detected, "1G").l2 == int64_t{1} << 30);

  CHECK(parse_byte_size("x", "12") == 12);
  CHECK(parse_byte_size("x", "3K") == 3072);
  for (const char* bad : {"0", "-1", "1.5M", "2MB", "2 M", "M", "abc", "2m", "2T", "2048G", "99999999999999"}) {
    const std::string named = std::string("SYN_L2_BYTES='") + bad + "'";
    CHECK_THROWS_WITH_AS(apply_cache_override(detected, bad), doctest::Contains(named.c_str()), ValueError);
  }
}
