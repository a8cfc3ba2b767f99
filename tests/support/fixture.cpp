#include "support/fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "synapse/train/weights_text.hpp"

namespace syn::testing {

Fixture load_fixture(const std::string& relative) {
  Fixture out;
  for (auto& [name, tensor] : train::read_weights_text(std::string(SYN_FIXTURE_DIR) + "/" + relative))
    out[name] = tensor;
  return out;
}

void check_close(const std::string& what, const Tensor& actual, const Tensor& expected, double rtol,
                 double atol) {
  REQUIRE_MESSAGE(actual.defined(), what << ": undefined");
  REQUIRE_MESSAGE(actual.shape() == expected.shape(),
                  what << ": shape " << actual.shape() << " vs expected " << expected.shape());
  int reported = 0;
  for (int64_t i = 0; i < actual.numel(); ++i) {
    const double a = actual.data()[i], e = expected.data()[i];
    const bool ok = std::fabs(a - e) <= atol + rtol * std::fabs(e) || (std::isnan(a) && std::isnan(e));
    if (!ok && reported++ < 5) CHECK_MESSAGE(ok, what << "[" << i << "] = " << a << ", expected " << e);
  }
  CHECK_MESSAGE(reported == 0, what << ": " << reported << " elements out of tolerance");
}

}  // namespace syn::testing
