// Every ElementwiseKernels kernel on every instruction set this CPU runs, against the scalar reference
// (Note [Kernel contract]): tails, unaligned pointers, aliasing, special values, accumulation,
// reductions, independence from the range start, and a dense sweep for the accuracy bounds.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/ops/kernels/elementwise_kernels.hpp"

using namespace syn;
using kernels::ElementwiseKernels;

namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kDenormMin = std::numeric_limits<float>::denorm_min();
constexpr float kFltMin = std::numeric_limits<float>::min();

// Accuracy against the scalar reference: |got - ref| <= max(rel * |ref|, abs), NaN where the
// reference is NaN, infinities exact. {0, 0} means bitwise identical (NaN payloads aside).
struct Tol {
  double rel, abs;
};
constexpr Tol kExact{0, 0};
// The bounds of Note [Kernel contract]; results in the denormal range may differ by one unit
// (2^-149) from the reference.
constexpr Tol kExpLogPow{2.4e-7, kDenormMin};
constexpr Tol kTanhSigmoidSoftplus{3.6e-7, kDenormMin};
constexpr Tol kGelu{6e-7, 6e-8};
constexpr Tol kGeluGrad{1.5e-6, 1.5e-7};

// The scalar reference table, the oracle.
const ElementwiseKernels& scalar_table() { return *kernels::elementwise_kernels_for(Isa::scalar); }

// The vectorised tables this CPU runs.
std::vector<const ElementwiseKernels*> vector_tables() {
  std::vector<const ElementwiseKernels*> out;
  for (Isa isa : supported_isas())
    if (isa != Isa::scalar) out.push_back(kernels::elementwise_kernels_for(isa));
  return out;
}

// n floats starting one float past a 64-byte boundary, followed by canaries that must survive.
class Buffer {
 public:
  static constexpr float kCanary = 12345.f;
  static constexpr int64_t kGuard = 16;

  explicit Buffer(int64_t n) : n_(n), storage_(static_cast<size_t>(n + kGuard + 32), kCanary) {
    const auto base = reinterpret_cast<uintptr_t>(storage_.data());
    data_ = reinterpret_cast<float*>((base + 63) / 64 * 64) + 1;
  }
  Buffer(const Buffer& other) : Buffer(other.n_) {
    for (int64_t i = 0; i < n_; ++i) data_[i] = other.data_[i];
  }
  Buffer& operator=(const Buffer&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }
  float& operator[](int64_t i) { return data_[i]; }
  float operator[](int64_t i) const { return data_[i]; }
  int64_t size() const { return n_; }
  bool canaries_intact() const {
    for (int64_t i = n_; i < n_ + kGuard; ++i)
      if (std::bit_cast<uint32_t>(data_[i]) != std::bit_cast<uint32_t>(kCanary)) return false;
    return true;
  }

 private:
  int64_t n_;
  std::vector<float> storage_;
  float* data_;
};

const std::vector<float>& special_values() {
  static const std::vector<float> values = {
      kNan,    -kNan,    kInf,   -kInf,   0.f,    -0.f,  kDenormMin, -kDenormMin, 1e-40f, -1e-40f,
      kFltMin, -kFltMin, 1e-20f, -1e-20f, 1.f,    -1.f,  0.625f,     -0.625f,     2.f,    -2.f,
      9.f,     -9.f,     20.f,   -20.f,   25.f,   -25.f, 88.72f,     89.f,        -87.5f, -103.9f,
      -104.5f, 1e30f,    -1e30f, 3e38f,   -3e38f, 0.5f,  -0.5f};
  return values;
}

// Random values in [-8, 8] with the special values scattered among them (deterministic).
Buffer make_input(int64_t n, uint32_t seed, bool with_specials = true) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-8.f, 8.f);
  Buffer b(n);
  for (int64_t i = 0; i < n; ++i) b[i] = dist(rng);
  if (with_specials) {
    const std::vector<float>& sv = special_values();
    for (int64_t i = 0; i < n; i += 3) b[i] = sv[static_cast<size_t>(rng() % sv.size())];
  }
  return b;
}
// Upstream gradients: powers of two, so gy * f' rounds exactly as f' does.
Buffer make_grad(int64_t n, uint32_t seed) {
  static const float choices[] = {1.f, -1.f, 0.5f, -0.5f};
  std::mt19937 rng(seed);
  Buffer b(n);
  for (int64_t i = 0; i < n; ++i) b[i] = choices[rng() % 4];
  return b;
}

std::string describe(float v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  return buf;
}

// True when got matches ref within tol; `why` explains a mismatch.
bool close(float ref, float got, Tol tol) {
  if (std::isnan(ref) || std::isnan(got)) return std::isnan(ref) && std::isnan(got);
  if (tol.rel == 0 && tol.abs == 0) return std::bit_cast<uint32_t>(ref) == std::bit_cast<uint32_t>(got);
  if (std::isinf(ref) || std::isinf(got)) return ref == got;
  const double d = std::fabs(static_cast<double>(got) - ref);
  return d <= std::max(tol.rel * std::fabs(static_cast<double>(ref)), tol.abs);
}

// Element-by-element comparison; reports the first few mismatches with their inputs.
void expect_match(const std::string& what, const Buffer& in, const Buffer& ref, const Buffer& got, Tol tol,
                  int64_t from = 0) {
  int reported = 0;
  int64_t bad = 0;
  for (int64_t i = from; i < ref.size(); ++i) {
    if (close(ref[i], got[i], tol)) continue;
    ++bad;
    if (reported++ < 3)
      FAIL_CHECK(what << " element " << i << " input " << describe(in[i]) << ": reference "
                      << describe(ref[i]) << ", got " << describe(got[i]));
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " mismatches");
}

// One elementwise kernel in a uniform shape: out may be read first (accumulating kernels).
struct Case {
  std::string name;
  Tol tol;
  bool accumulates;  // gx += ..., acc += ..., y += ...
  bool b_is_grad;    // b is an upstream gradient (powers of two)
  std::function<void(const ElementwiseKernels&, const float* a, const float* b, float* out, int64_t n)> run;
};

std::vector<Case> elementwise_cases() {
  using T = const ElementwiseKernels&;
  using P = const float*;
  std::vector<Case> cases;
  auto binary = [&](const char* name, kernels::BinaryFn ElementwiseKernels::*fn) {
    cases.push_back(
        {name, kExact, false, false, [fn](T t, P a, P b, float* y, int64_t n) { (t.*fn)(a, b, y, n); }});
  };
  binary("add", &ElementwiseKernels::add);
  binary("sub", &ElementwiseKernels::sub);
  binary("mul", &ElementwiseKernels::mul);
  binary("div", &ElementwiseKernels::div);
  auto with_scalar = [&](const char* name, kernels::ScalarFn ElementwiseKernels::*fn, float s, Tol tol) {
    cases.push_back({std::string(name) + "(" + describe(s) + ")", tol, false, false,
                     [fn, s](T t, P a, P, float* y, int64_t n) { (t.*fn)(a, s, y, n); }});
  };
  for (float s : {1.5f, -0.f, kNan, kInf}) {
    with_scalar("add_scalar", &ElementwiseKernels::add_scalar, s, kExact);
    with_scalar("mul_scalar", &ElementwiseKernels::mul_scalar, s, kExact);
    with_scalar("max_scalar", &ElementwiseKernels::max_scalar, s, kExact);
    with_scalar("min_scalar", &ElementwiseKernels::min_scalar, s, kExact);
  }
  for (float s : {0.f, 1.f, 2.f, 0.5f, -1.f, kNan, kInf, -kInf}) {
    const bool exact = s != 2.f && s != 0.5f;  // only these two round differently from powf
    with_scalar("pow_scalar", &ElementwiseKernels::pow_scalar, s, exact ? kExact : kExpLogPow);
  }
  for (float s : {3.f, -2.f, 1.7f, -2.5f, 1.f / 3.f, 1e10f})
    with_scalar("pow_scalar", &ElementwiseKernels::pow_scalar, s, kExact);
  auto unary = [&](const char* name, kernels::UnaryFn ElementwiseKernels::*fn, Tol tol) {
    cases.push_back({name, tol, false, false, [fn](T t, P a, P, float* y, int64_t n) { (t.*fn)(a, y, n); }});
  };
  unary("neg", &ElementwiseKernels::neg, kExact);
  unary("abs", &ElementwiseKernels::abs, kExact);
  unary("sqrt", &ElementwiseKernels::sqrt, kExact);
  unary("relu", &ElementwiseKernels::relu, kExact);
  unary("exp", &ElementwiseKernels::exp, kExpLogPow);
  unary("log", &ElementwiseKernels::log, kExpLogPow);
  unary("tanh", &ElementwiseKernels::tanh, kTanhSigmoidSoftplus);
  unary("sigmoid", &ElementwiseKernels::sigmoid, kTanhSigmoidSoftplus);
  unary("softplus", &ElementwiseKernels::softplus, kTanhSigmoidSoftplus);
  unary("gelu", &ElementwiseKernels::gelu, kGelu);
  unary("gelu_tanh", &ElementwiseKernels::gelu_tanh, kGelu);
  auto grad = [&](const char* name, kernels::GradFn ElementwiseKernels::*fn, Tol tol) {
    cases.push_back(
        {name, tol, true, true, [fn](T t, P a, P b, float* gx, int64_t n) { (t.*fn)(a, b, gx, n); }});
  };
  grad("relu_backward", &ElementwiseKernels::relu_backward, kExact);
  grad("sigmoid_backward", &ElementwiseKernels::sigmoid_backward, kExact);
  grad("tanh_backward", &ElementwiseKernels::tanh_backward, kExact);
  grad("softplus_backward", &ElementwiseKernels::softplus_backward, kTanhSigmoidSoftplus);
  grad("gelu_backward", &ElementwiseKernels::gelu_backward, kGeluGrad);
  grad("gelu_tanh_backward", &ElementwiseKernels::gelu_tanh_backward, kGeluGrad);
  cases.push_back({"mul_add", kExact, true, false,
                   [](T t, P a, P b, float* acc, int64_t n) { t.mul_add(a, b, acc, n); }});
  for (float alpha : {0.75f, -3.f, kNan})
    cases.push_back({"axpy(" + describe(alpha) + ")", kExact, true, false,
                     [alpha](T t, P a, P, float* y, int64_t n) { t.axpy(alpha, a, y, n); }});
  for (auto [lo, hi] : {std::pair{-1.f, 2.f}, std::pair{-kInf, 0.f}, std::pair{kNan, 1.f}})
    cases.push_back({"clamp(" + describe(lo) + "," + describe(hi) + ")", kExact, false, false,
                     [lo, hi](T t, P a, P, float* y, int64_t n) { t.clamp(a, lo, hi, y, n); }});
  return cases;
}

// Runs `c` on the scalar table and on `table` with the same inputs; accumulating kernels start
// from the same `out` values. Accumulating outputs are compared with gradient tolerances scaled
// by nothing: gy is a power of two and the start values are exact, so the bound is f''s.
void check_case(const Case& c, const ElementwiseKernels& table, int64_t n, uint32_t seed) {
  const Buffer a = make_input(n, seed), b = c.b_is_grad ? make_grad(n, seed + 1) : make_input(n, seed + 1);
  // Accumulators start at 0 so that the sum is the kernel's own value, compared with its bound.
  Buffer ref(n), got(n);
  for (int64_t i = 0; i < n; ++i) ref[i] = got[i] = 0.f;
  c.run(scalar_table(), a.data(), b.data(), ref.data(), n);
  c.run(table, a.data(), b.data(), got.data(), n);
  const std::string what = c.name + " [" + isa_name(table.isa) + ", n=" + std::to_string(n) + "]";
  expect_match(what, a, ref, got, c.tol);
  CHECK_MESSAGE(got.canaries_intact(), what << " wrote past the end");
}

}  // namespace

TEST_CASE("elementwise kernels: every ISA matches the scalar reference, tails and unaligned pointers") {
  for (const ElementwiseKernels* table : vector_tables())
    for (const Case& c : elementwise_cases())
      for (int64_t n : {0, 1, 3, 15, 16, 17, 31, 33, 1000 + 7})
        check_case(c, *table, n, static_cast<uint32_t>(n + 7));
}

TEST_CASE("elementwise kernels: special values on every ISA") {
  const std::vector<float>& sv = special_values();
  const auto n = static_cast<int64_t>(sv.size());
  Buffer x(n);
  for (int64_t i = 0; i < n; ++i) x[i] = sv[static_cast<size_t>(i)];
  const Buffer g = make_grad(n, 5);
  for (const ElementwiseKernels* table : vector_tables())
    for (const Case& c : elementwise_cases()) {
      // Every special value as the first operand, against a plain second operand and vice versa.
      for (int order = 0; order < 2; ++order) {
        const Buffer other = c.b_is_grad ? g : make_input(n, 9, false);
        const Buffer& a = order == 0 ? x : other;
        const Buffer& b = c.b_is_grad ? g : (order == 0 ? other : x);
        Buffer ref(n), got(n);
        for (int64_t i = 0; i < n; ++i) ref[i] = got[i] = 0.f;
        c.run(scalar_table(), a.data(), b.data(), ref.data(), n);
        c.run(*table, a.data(), b.data(), got.data(), n);
        expect_match(c.name + " specials [" + isa_name(table->isa) + ", order " + std::to_string(order) + "]",
                     order == 0 ? x : b, ref, got, c.tol);
      }
    }
}

TEST_CASE("elementwise kernels: NaN propagates through relu, max, min, clamp and the activations") {
  const float in[] = {kNan, kNan, kNan, kNan, kNan, kNan, kNan, kNan, kNan,
                      kNan, kNan, kNan, kNan, kNan, kNan, kNan, kNan};
  constexpr int64_t n = 17;
  for (const ElementwiseKernels* table : vector_tables()) {
    float y[n];
    for (auto fn : {&ElementwiseKernels::relu, &ElementwiseKernels::exp, &ElementwiseKernels::tanh, &ElementwiseKernels::sigmoid,
                    &ElementwiseKernels::gelu, &ElementwiseKernels::gelu_tanh, &ElementwiseKernels::softplus, &ElementwiseKernels::log}) {
      (table->*fn)(in, y, n);
      for (float v : y) CHECK(std::isnan(v));
    }
    table->max_scalar(in, 1.f, y, n);
    for (float v : y) CHECK(std::isnan(v));
    table->min_scalar(in, 1.f, y, n);
    for (float v : y) CHECK(std::isnan(v));
    table->clamp(in, -1.f, 1.f, y, n);
    for (float v : y) CHECK(std::isnan(v));
  }
}

TEST_CASE("elementwise kernels: outputs may alias inputs exactly (y == x)") {
  for (const ElementwiseKernels* table : vector_tables())
    for (const Case& c : elementwise_cases()) {
      const int64_t n = 1000 + 7;
      const Buffer b = c.b_is_grad ? make_grad(n, 3) : make_input(n, 3);
      Buffer ref = make_input(n, 2), got(ref);
      const Buffer in(ref);
      c.run(scalar_table(), ref.data(), b.data(), ref.data(), n);
      c.run(*table, got.data(), b.data(), got.data(), n);
      expect_match(c.name + " in place [" + isa_name(table->isa) + "]", in, ref, got, c.tol);
    }
}

TEST_CASE("elementwise kernels: accumulating kernels add to what is there") {
  // out = start + (value with start 0), rounded once: the kernels add in a separate final step.
  for (const ElementwiseKernels* table : vector_tables())
    for (const Case& c : elementwise_cases()) {
      if (!c.accumulates) continue;
      const int64_t n = 1000 + 7;
      const Buffer a = make_input(n, 11), b = c.b_is_grad ? make_grad(n, 12) : make_input(n, 12);
      const Buffer start = make_input(n, 13, false);
      Buffer alone(n), summed(start);
      for (int64_t i = 0; i < n; ++i) alone[i] = 0.f;
      c.run(*table, a.data(), b.data(), alone.data(), n);
      c.run(*table, a.data(), b.data(), summed.data(), n);
      Buffer expected(n);
      for (int64_t i = 0; i < n; ++i) expected[i] = start[i] + alone[i];
      expect_match(c.name + " accumulates [" + isa_name(table->isa) + "]", a, expected, summed, kExact);
    }
}

TEST_CASE("elementwise kernels: element i does not depend on where the range starts") {
  // Note [Determinism]: computing [3, n) alone must give bitwise what [0, n) gave there.
  for (const ElementwiseKernels* table : vector_tables())
    for (const Case& c : elementwise_cases())
      for (int64_t n : {40, 1000 + 7}) {
        const Buffer a = make_input(n, 21), b = c.b_is_grad ? make_grad(n, 22) : make_input(n, 22);
        const Buffer start = make_input(n, 23, false);
        Buffer whole(start), part(start);
        c.run(*table, a.data(), b.data(), whole.data(), n);
        c.run(*table, a.data() + 3, b.data() + 3, part.data() + 3, n - 3);
        expect_match(c.name + " range start [" + isa_name(table->isa) + ", n=" + std::to_string(n) + "]", a,
                     whole, part, kExact, 3);
      }
}

namespace {
// sum_i terms[i] in double and sum_i |terms[i]|, for the a priori bound of float summation.
struct ExactSum {
  double value = 0, magnitude = 0;
  void add(double t) {
    value += t;
    magnitude += std::fabs(t);
  }
};
// Any order of float summation of n terms errs by at most (n - 1) u sum|terms| (u = 2^-24),
// plus one rounding per product for dot and sum_sq_diff.
void check_sum(const std::string& what, float got, const ExactSum& exact, int64_t n) {
  const double bound = (static_cast<double>(n) + 1) * std::ldexp(1.0, -24) * exact.magnitude;
  CHECK_MESSAGE(std::fabs(got - exact.value) <= bound,
                what << ": got " << describe(got) << ", exact " << exact.value << ", bound " << bound);
}
}  // namespace

TEST_CASE("reductions: sum, max, dot and sum_sq_diff on random data within the summation bound") {
  for (const ElementwiseKernels* table : vector_tables())
    for (int64_t n : {0, 1, 3, 15, 16, 17, 31, 33, 1000 + 7, 4096, 4096 + 13}) {
      const std::string at = std::string(" [") + isa_name(table->isa) + ", n=" + std::to_string(n) + "]";
      const Buffer a = make_input(n, 31, false), b = make_input(n, 32, false);
      const float mean = 0.37f;
      ExactSum sum, dot, ssd;
      float max = -kInf;
      for (int64_t i = 0; i < n; ++i) {
        sum.add(a[i]);
        dot.add(static_cast<double>(a[i]) * b[i]);
        ssd.add((static_cast<double>(a[i]) - mean) * (static_cast<double>(a[i]) - mean));
        max = std::max(max, a[i]);
      }
      check_sum("sum" + at, table->sum(a.data(), n), sum, n);
      check_sum("dot" + at, table->dot(a.data(), b.data(), n), dot, n);
      check_sum("sum_sq_diff" + at, table->sum_sq_diff(a.data(), mean, n), ssd, n);
      CHECK_MESSAGE(table->max(a.data(), n) == max, "max" << at);
      CHECK_MESSAGE(table->max(a.data(), n) == scalar_table().max(a.data(), n),
                    "max vs scalar" << at);
    }
}

TEST_CASE("reductions: a NaN anywhere (body or tail) gives NaN, infinities are kept") {
  for (const ElementwiseKernels* table : vector_tables())
    for (int64_t n : {1, 17, 1000 + 7})
      for (int64_t pos : {int64_t{0}, n / 2, n - 1}) {
        Buffer a = make_input(n, 41, false);
        const Buffer b = make_input(n, 42, false);
        a[pos] = kNan;
        const std::string at = std::string(" [") + isa_name(table->isa) + ", n=" + std::to_string(n) +
                               ", NaN at " + std::to_string(pos) + "]";
        CHECK_MESSAGE(std::isnan(table->sum(a.data(), n)), "sum" << at);
        CHECK_MESSAGE(std::isnan(table->max(a.data(), n)), "max" << at);
        CHECK_MESSAGE(std::isnan(table->dot(a.data(), b.data(), n)), "dot" << at);
        CHECK_MESSAGE(std::isnan(table->sum_sq_diff(a.data(), 0.f, n)), "sum_sq_diff" << at);
        a[pos] = kInf;
        CHECK_MESSAGE(table->max(a.data(), n) == kInf, "max inf" << at);
        CHECK_MESSAGE(table->sum(a.data(), n) == kInf, "sum inf" << at);
      }
}

TEST_CASE("reductions: empty input gives the neutral element") {
  for (const ElementwiseKernels* table : vector_tables()) {
    const float x = 1.f;
    CHECK(table->sum(&x, 0) == 0.f);
    CHECK(table->max(&x, 0) == -kInf);
    CHECK(table->dot(&x, &x, 0) == 0.f);
    CHECK(table->sum_sq_diff(&x, 0.f, 0) == 0.f);
  }
}

TEST_CASE("accuracy: dense sweep over all float magnitudes within the Note [Kernel contract] bounds") {
  // Every 4099th bit pattern: ~1M floats of both signs, denormals, infinities and NaNs included.
  std::vector<float> values;
  for (uint64_t bits = 0; bits < (uint64_t{1} << 32); bits += 4099)
    values.push_back(std::bit_cast<float>(static_cast<uint32_t>(bits)));
  const auto n = static_cast<int64_t>(values.size());
  Buffer x(n), ones(n);
  for (int64_t i = 0; i < n; ++i) x[i] = values[static_cast<size_t>(i)], ones[i] = 1.f;
  for (const ElementwiseKernels* table : vector_tables())
    for (const Case& c : elementwise_cases()) {
      if (c.tol.rel == 0) continue;  // exact kernels are covered bitwise above
      Buffer ref(n), got(n);
      for (int64_t i = 0; i < n; ++i) ref[i] = got[i] = 0.f;
      const Buffer& b = c.b_is_grad ? ones : x;
      c.run(scalar_table(), x.data(), b.data(), ref.data(), n);
      c.run(*table, x.data(), b.data(), got.data(), n);
      expect_match(c.name + " sweep [" + isa_name(table->isa) + "]", x, ref, got, c.tol);
    }
}

TEST_CASE("elementwise kernels: each supported ISA has its own table") {
  for (Isa isa : {Isa::scalar, Isa::sse2, Isa::avx2, Isa::avx512}) {
    const ElementwiseKernels* table = kernels::elementwise_kernels_for(isa);
    if (cpu_supports(isa)) {
      REQUIRE(table != nullptr);
      CHECK(table->isa == isa);
    } else {
      CHECK(table == nullptr);
    }
  }
}
