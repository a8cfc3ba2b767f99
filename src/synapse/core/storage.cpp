#include "synapse/core/storage.hpp"

#include <cstdlib>
#include <limits>
#include <new>

#include "synapse/core/buffer_cache.hpp"
#include "synapse/core/error.hpp"

namespace syn {
namespace {

// "12000000000 bytes (11.2 GiB)"; beyond 1e18 in scientific notation
std::string describe_bytes(long double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  long double value = bytes;
  int unit = 0;
  while (value >= 1024 && unit < 8) {
    value /= 1024;
    ++unit;
  }
  std::ostringstream out;
  out.precision(bytes < 1e18L ? 20 : 3);
  out << bytes << " bytes";
  if (unit > 0) {
    out.precision(3);
    out << " (" << static_cast<double>(value) << ' ' << units[unit] << ')';
  }
  return out.str();
}

// n floats rounded up to the alignment; never 0 bytes.
size_t allocated_bytes(size_t n) {
  const size_t bytes = (n * sizeof(float) + kStorageAlignment - 1) / kStorageAlignment * kStorageAlignment;
  return bytes == 0 ? kStorageAlignment : bytes;
}

}  // namespace

Storage::Storage(const Shape& shape) {
  // The element count in long double first: a product of dims may not fit in size_t.
  long double elements = 1;
  for (int64_t d : shape.dims()) elements *= static_cast<long double>(d);
  const long double asked = elements * sizeof(float);
  constexpr auto kMaxBytes = static_cast<long double>(std::numeric_limits<size_t>::max() / 2);
  SYN_CHECK_T(AllocationError, asked <= kMaxBytes, "cannot allocate a tensor of shape ", shape, ": ",
              describe_bytes(asked), " asked, more than this machine can address");
  size_ = static_cast<size_t>(elements);
  const size_t bytes = allocated_bytes(size_);
  try {
    data_ = static_cast<float*>(cached_alloc(bytes));  // Note [Buffer cache]
  } catch (const std::bad_alloc&) {
    data_ = nullptr;
  }
  SYN_CHECK_T(AllocationError, data_ != nullptr, "cannot allocate a tensor of shape ", shape, ": ",
              describe_bytes(asked), " asked, the system refused the memory");
}

Storage::~Storage() { cached_free(data_, allocated_bytes(size_)); }

}  // namespace syn
