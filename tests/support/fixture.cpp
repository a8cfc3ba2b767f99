#include "support/fixture.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "synapse/core/error.hpp"

namespace syn::testing {

Fixture load_fixture(const std::string& relative) {
  const std::string path = std::string(SYN_FIXTURE_DIR) + "/" + relative;
  std::ifstream in(path);
  SYN_CHECK(in.good(), "fixture: cannot open ", path);
  Fixture out;
  std::string line, name;
  std::vector<float> values;
  Shape shape;
  int line_no = 0;
  auto finish = [&] {
    if (name.empty()) return;
    SYN_CHECK(static_cast<int64_t>(values.size()) == shape.numel(), path, ": tensor '", name, "' has ",
              values.size(), " values for shape ", shape);
    out[name] = Tensor::from(values, shape);
    values.clear();
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    if (line.rfind("tensor ", 0) == 0) {
      finish();
      std::string tag;
      int64_t rank = 0;
      fields >> tag >> name >> rank;
      std::vector<int64_t> dims(static_cast<size_t>(rank));
      for (auto& d : dims) fields >> d;
      SYN_CHECK(!fields.fail(), path, ":", line_no, ": malformed tensor header");
      shape = Shape(dims);
      continue;
    }
    SYN_CHECK(!name.empty(), path, ":", line_no, ": values before any tensor header");
    std::string token;
    while (fields >> token) values.push_back(std::stof(token));
  }
  finish();
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
