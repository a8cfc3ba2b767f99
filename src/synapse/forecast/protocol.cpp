#include "synapse/forecast/protocol.hpp"

#include <cmath>
#include <sstream>

#include "synapse/core/error.hpp"

namespace syn::forecast {

Protocol Protocol::clean(double train, double val, double test) {
  SYN_CHECK_T(ValueError, train > 0 && val >= 0 && test > 0 && std::isfinite(train + val + test),
              "protocol clean: fractions train ", train, ", val ", val, ", test ", test,
              " must be finite, train and test > 0, val >= 0");
  SYN_CHECK_T(ValueError, std::abs(train + val + test - 1.0) < 1e-9, "protocol clean: fractions train ",
              train, " + val ", val, " + test ", test, " = ", train + val + test, ", expected 1");
  return Protocol{ProtocolKind::clean, train, val, test};
}

Protocol Protocol::paper() { return Protocol{ProtocolKind::paper, 0.8, 0.0, 0.2}; }

Protocol Protocol::from_name(std::string_view name) {
  if (name == "clean") return clean();
  if (name == "paper") return paper();
  throw ValueError(detail::concat("protocol: unknown protocol '", name, "' (expected clean or paper)"));
}

std::string Protocol::name() const { return kind == ProtocolKind::paper ? "paper" : "clean"; }

std::string Protocol::describe() const {
  const auto percent = [](double f) { return std::lround(f * 100.0); };
  std::ostringstream out;
  if (kind == ProtocolKind::paper) {
    out << "protocol paper (reproduces the reference study): scaler fitted on the whole series, "
        << "chronological split " << percent(train) << "% train / " << percent(test)
        << "% test, the test part doubles as the early-stopping set; scores are optimistic "
        << "(test data leaks through the scaler and model selection)";
  } else {
    out << "protocol clean: chronological split " << percent(train) << "% train / " << percent(val)
        << "% validation / " << percent(test) << "% test, scaler fitted on the training part only, "
        << "early stopping on the validation part";
  }
  return out.str();
}

}  // namespace syn::forecast
