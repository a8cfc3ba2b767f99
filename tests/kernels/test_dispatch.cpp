#include <doctest/doctest.h>

#include "synapse/ops/kernels/dispatch.hpp"

using namespace syn;

TEST_CASE("dispatch: the active table runs on this CPU and scalar is always available") {
  CHECK(kernels::table_for(Isa::scalar) != nullptr);
  CHECK(cpu_supports(kernels::active_isa()));
  CHECK(kernels::table_for(kernels::active_isa()) == &kernels::active());
}
