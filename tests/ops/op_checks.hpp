#pragma once
// Test helpers for the elementwise, broadcast, reduction and loss ops: naive double-precision
// references (for check_gradients) and a check on typed error messages.
#include <doctest/doctest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "support/gradcheck.hpp"
#include "synapse/core/shape.hpp"

namespace syn::testing {

// Flat index into `from` (which broadcasts to `to`) of the element broadcast to flat index i of `to`.
inline int64_t broadcast_source(int64_t i, const Shape& from, const Shape& to) {
  int64_t src = 0, stride = 1;
  for (int64_t d = to.rank() - 1, e = from.rank() - 1; d >= 0; --d, --e) {
    const int64_t index = i % to[d];
    i /= to[d];
    if (e < 0) continue;
    if (from[e] != 1) src += index * stride;
    stride *= from[e];
  }
  return src;
}

// x broadcast from `from` to `to`, in double.
inline std::vector<double> broadcast_ref(const std::vector<double>& x, const Shape& from, const Shape& to) {
  std::vector<double> y(static_cast<size_t>(to.numel()));
  for (int64_t i = 0; i < to.numel(); ++i) y[i] = x[broadcast_source(i, from, to)];
  return y;
}

// y = f(x) elementwise.
inline ReferenceFn unary_ref(std::function<double(double)> f) {
  return [f](const std::vector<std::vector<double>>& in) {
    std::vector<double> y(in[0].size());
    for (size_t i = 0; i < y.size(); ++i) y[i] = f(in[0][i]);
    return y;
  };
}

// y = f(a, b) with a: A and b: B broadcast to `out`.
inline ReferenceFn binary_ref(const Shape& a, const Shape& b, const Shape& out,
                              std::function<double(double, double)> f) {
  return [=](const std::vector<std::vector<double>>& in) {
    const auto x = broadcast_ref(in[0], a, out), y = broadcast_ref(in[1], b, out);
    std::vector<double> r(x.size());
    for (size_t i = 0; i < r.size(); ++i) r[i] = f(x[i], y[i]);
    return r;
  };
}

// Runs f, CHECKs that it throws E and that the message contains every one of `parts`.
template <class E, class F>
void check_error(F&& f, std::initializer_list<std::string> parts) {
  try {
    f();
    FAIL_CHECK("no exception; expected one mentioning " << *parts.begin());
  } catch (const E& e) {
    const std::string message = e.what();
    for (const std::string& p : parts)
      CHECK_MESSAGE(message.find(p) != std::string::npos,
                    "'" << message << "' does not mention '" << p << "'");
  }
}

}  // namespace syn::testing
