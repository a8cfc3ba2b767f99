#pragma once
// The data caches of one core of this CPU, read at run time (GEMM sizes its row and column blocks
// from them, Note [GEMM blocking]).
#include <cstdint>
#include <string>

namespace syn {

// Bytes one core has: l1d and l2 as that core sees them, l3 the last-level cache divided by the
// number of CPUs sharing it; l1d_ways the L1 data cache's associativity. 0 where unknown.
struct CacheSizes {
  int64_t l1d = 0, l2 = 0, l3 = 0, l1d_ways = 0;
};

// What is assumed where a level cannot be read: 32 KiB 8-way, 1 MiB, 2 MiB per core.
inline constexpr CacheSizes kFallbackCaches{32 << 10, 1 << 20, 2 << 20, 8};

// This CPU's caches, read once: Linux sysfs of cpu0, else sysconf(_SC_LEVEL*_CACHE_SIZE) (L3 divided
// among the online CPUs), else kFallbackCaches; then SYN_L2_BYTES, when set, replaces l2 (to emulate
// another CPU's L2, the one size GEMM's blocks follow; a bad value is a ValueError naming it).
const CacheSizes& cache_sizes();

// The data and unified caches listed under
// <cpu_dir>/cache/index*/{level,type,size,shared_cpu_list,ways_of_associativity}
// (cpu_dir: /sys/devices/system/cpu/cpu0 or a copy of it); levels not found stay 0.
CacheSizes read_sysfs_caches(const std::string& cpu_dir);

// `detected` with SYN_L2_BYTES = l2 applied (nullptr or empty: not set).
CacheSizes apply_cache_override(CacheSizes detected, const char* l2);

// "2097152", "2048K", "2M" or "1G" (powers of 1024, as sysfs writes sizes) -> bytes; anything else,
// zero or past 1 TiB is a ValueError whose message starts with `what`.
int64_t parse_byte_size(const std::string& what, const std::string& text);

}  // namespace syn
