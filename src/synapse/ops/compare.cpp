#include "synapse/ops/compare.hpp"

#include <functional>

#include "synapse/core/grad_mode.hpp"
#include "synapse/ops/broadcast_layout.hpp"

namespace syn {
namespace {

// n elements: y[i] = (a[i] op b[i]) ? 1 : 0
template <class Op>
void compare_kernel(const float* a, const float* b, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = Op{}(a[i], b[i]) ? 1.f : 0.f;
}

struct Equal {
  bool operator()(float a, float b) const { return a == b; }
};

template <class Op>
Tensor compare(const char* name, const Tensor& a, const Tensor& b) {
  NoGradGuard constant;  // comparisons have no gradient
  return detail::broadcast_binary(name, a, b, compare_kernel<Op>);
}

}  // namespace

Tensor greater(const Tensor& a, const Tensor& b) { return compare<std::greater<float>>("greater", a, b); }
Tensor greater_equal(const Tensor& a, const Tensor& b) {
  return compare<std::greater_equal<float>>("greater_equal", a, b);
}
Tensor less(const Tensor& a, const Tensor& b) { return compare<std::less<float>>("less", a, b); }
Tensor less_equal(const Tensor& a, const Tensor& b) { return compare<std::less_equal<float>>("less_equal", a, b); }
Tensor equal(const Tensor& a, const Tensor& b) { return compare<Equal>("equal", a, b); }

}  // namespace syn
