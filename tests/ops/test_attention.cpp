// scaled_dot_product_attention: the fused kernels of every ISA against a double-precision reference
// and against the unfused composition, the op's gradients, PyTorch fixtures, IEEE special values,
// thread determinism and errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/random.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/attention.hpp"
#include "synapse/ops/attention_composed.hpp"
#include "synapse/ops/kernels/attention_kernels.hpp"

using namespace syn;
using namespace syn::testing;
using kernels::AttentionDims;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

struct Grads {
  std::vector<double> out, dq, dk, dv;
};

// Attention per head in double precision, straight from the definition.
Grads reference(const AttentionDims& dims, int64_t heads, const std::vector<double>& q,
                const std::vector<double>& k, const std::vector<double>& v, const std::vector<double>& dout) {
  const int64_t tq = dims.tq, tk = dims.tk, d = dims.d, dv = dims.dv;
  Grads g{std::vector<double>(static_cast<size_t>(heads * tq * dv)), std::vector<double>(q.size()),
          std::vector<double>(k.size()), std::vector<double>(v.size())};
  std::vector<double> p(static_cast<size_t>(tq * tk)), dp(p.size());
  for (int64_t h = 0; h < heads; ++h) {
    const double* qh = q.data() + h * tq * d;
    const double* kh = k.data() + h * tk * d;
    const double* vh = v.data() + h * tk * dv;
    const double* doh = dout.empty() ? nullptr : dout.data() + h * tq * dv;
    for (int64_t i = 0; i < tq; ++i) {
      double mx = kNegInf;
      for (int64_t j = 0; j < tk; ++j) {
        double s = 0;
        for (int64_t c = 0; c < d; ++c) s += qh[i * d + c] * kh[j * d + c];
        s = dims.causal && j > i ? kNegInf : s * dims.scale;
        p[static_cast<size_t>(i * tk + j)] = s;
        mx = std::max(mx, s);
      }
      double sum = 0;
      for (int64_t j = 0; j < tk; ++j)
        sum += p[static_cast<size_t>(i * tk + j)] = std::exp(p[static_cast<size_t>(i * tk + j)] - mx);
      for (int64_t j = 0; j < tk; ++j) p[static_cast<size_t>(i * tk + j)] /= sum;
      for (int64_t e = 0; e < dv; ++e) {
        double o = 0;
        for (int64_t j = 0; j < tk; ++j) o += p[static_cast<size_t>(i * tk + j)] * vh[j * dv + e];
        g.out[static_cast<size_t>((h * tq + i) * dv + e)] = o;
      }
    }
    if (doh == nullptr) continue;
    for (int64_t i = 0; i < tq; ++i) {
      double dot = 0;
      for (int64_t j = 0; j < tk; ++j) {
        double s = 0;
        for (int64_t e = 0; e < dv; ++e) s += doh[i * dv + e] * vh[j * dv + e];
        dp[static_cast<size_t>(i * tk + j)] = s;
        dot += s * p[static_cast<size_t>(i * tk + j)];
      }
      for (int64_t j = 0; j < tk; ++j) {
        const size_t at = static_cast<size_t>(i * tk + j);
        const double ds = p[at] * (dp[at] - dot) * dims.scale;
        for (int64_t c = 0; c < d; ++c) {
          g.dq[static_cast<size_t>((h * tq + i) * d + c)] += ds * kh[j * d + c];
          g.dk[static_cast<size_t>((h * tk + j) * d + c)] += ds * qh[i * d + c];
        }
        for (int64_t e = 0; e < dv; ++e)
          g.dv[static_cast<size_t>((h * tk + j) * dv + e)] += p[at] * doh[i * dv + e];
      }
    }
  }
  return g;
}

std::vector<float> random_values(int64_t n, uint64_t seed) {
  Generator gen(seed, 11);
  std::vector<float> x(static_cast<size_t>(n));
  for (float& v : x) v = 2.f * gen.uniform() - 1.f;
  return x;
}

std::vector<double> widen(const std::vector<float>& x) { return {x.begin(), x.end()}; }

// |got - want| <= tol * (1 + |want|) elementwise, reporting the first few failures.
void check_close(const std::string& what, const std::vector<float>& got, const std::vector<double>& want,
                 double tol) {
  REQUIRE(got.size() == want.size());
  int bad = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double err = std::fabs(got[i] - want[i]);
    if (!(err <= tol * (1 + std::fabs(want[i]))) && bad++ < 3)
      FAIL_CHECK(what << "[" << i << "] = " << got[i] << ", expected " << want[i]);
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " elements off");
}

struct KernelCase {
  int64_t heads, tq, tk, d, dv;
  bool causal;
};

// Float sums of up to ~150 terms of magnitude <= 1 (observed errors stay below 5e-7).
constexpr double kTol = 2e-6;

}  // namespace

TEST_CASE("attention kernels: every ISA matches the double reference, with tails, blocks and causal masks") {
  // Sizes straddle the vector widths (4/8/16), the query block (64) and the key block (128).
  const KernelCase cases[] = {
      {1, 1, 1, 1, 1, false},    {2, 1, 5, 3, 2, true},     {3, 5, 5, 4, 4, true},
      {2, 7, 3, 5, 6, true},     {2, 3, 7, 5, 6, false},    {4, 42, 42, 8, 8, false},
      {4, 42, 42, 8, 8, true},   {2, 64, 64, 16, 16, true}, {1, 70, 150, 9, 17, false},
      {1, 150, 150, 3, 5, true}, {1, 200, 130, 2, 3, true}};
  uint64_t seed = 1;
  for (Isa isa : supported_isas()) {
    const kernels::AttentionKernels* kern = kernels::attention_kernels_for(isa);
    REQUIRE(kern != nullptr);
    for (const KernelCase& c : cases) {
      AttentionDims dims{c.tq, c.tk, c.d, c.dv, 1.f / std::sqrt(static_cast<float>(c.d)), c.causal};
      const auto q = random_values(c.heads * c.tq * c.d, ++seed),
                 k = random_values(c.heads * c.tk * c.d, ++seed),
                 v = random_values(c.heads * c.tk * c.dv, ++seed),
                 dout = random_values(c.heads * c.tq * c.dv, ++seed);
      const Grads want = reference(dims, c.heads, widen(q), widen(k), widen(v), widen(dout));
      std::vector<float> ws(kern->workspace(dims)), out(want.out.size()),
          lse(static_cast<size_t>(c.heads * c.tq));
      // Backward kernels accumulate: start the gradients at 0.25.
      std::vector<float> dq(q.size(), 0.25f), dk(k.size(), 0.25f), dv(v.size(), 0.25f);
      kern->forward(dims, c.heads, q.data(), k.data(), v.data(), out.data(), lse.data(), ws.data());
      kern->backward(dims, c.heads, q.data(), k.data(), v.data(), out.data(), dout.data(), lse.data(),
                     dq.data(), dk.data(), dv.data(), ws.data());
      for (float& x : dq) x -= 0.25f;
      for (float& x : dk) x -= 0.25f;
      for (float& x : dv) x -= 0.25f;
      std::ostringstream name;
      name << isa_name(isa) << " heads=" << c.heads << " tq=" << c.tq << " tk=" << c.tk << " d=" << c.d
           << " dv=" << c.dv << (c.causal ? " causal" : "");
      check_close(name.str() + " out", out, want.out, kTol);
      check_close(name.str() + " dq", dq, want.dq, kTol);
      check_close(name.str() + " dk", dk, want.dk, kTol);
      check_close(name.str() + " dv", dv, want.dv, kTol);
      // Skipping gradients leaves the others unchanged.
      std::vector<float> dv_only(v.size(), 0.25f);
      kern->backward(dims, c.heads, q.data(), k.data(), v.data(), out.data(), dout.data(), lse.data(),
                     nullptr, nullptr, dv_only.data(), ws.data());
      for (float& x : dv_only) x -= 0.25f;
      CHECK(dv_only == dv);
    }
  }
}

TEST_CASE("attention: the unfused composition agrees with the double reference and with the fused op") {
  for (bool causal : {false, true}) {
    AttentionDims dims{9, 9, 4, 3, 0.5f, causal};
    const int64_t heads = 3;
    const auto q = random_values(heads * 9 * 4, 1), k = random_values(heads * 9 * 4, 2),
               v = random_values(heads * 9 * 3, 3), dout = random_values(heads * 9 * 3, 4);
    const Grads want = reference(dims, heads, widen(q), widen(k), widen(v), widen(dout));
    std::vector<float> out(want.out.size()), probs, dq(q.size()), dk(k.size()), dv(v.size());
    composed_attention_forward(dims, heads, q.data(), k.data(), v.data(), out.data(), probs);
    composed_attention_backward(dims, heads, q.data(), k.data(), v.data(), probs, dout.data(), dq.data(),
                                dk.data(), dv.data());
    check_close("composed out", out, want.out, kTol);
    check_close("composed dq", dq, want.dq, kTol);
    check_close("composed dk", dk, want.dk, kTol);
    check_close("composed dv", dv, want.dv, kTol);

    // The fused op against the composition directly.
    Tensor tq = Tensor::from(q, Shape{heads, 9, 4}), tk = Tensor::from(k, Shape{heads, 9, 4}),
           tv = Tensor::from(v, Shape{heads, 9, 3});
    for (Tensor* t : {&tq, &tk, &tv}) t->set_requires_grad(true);
    Tensor fused = scaled_dot_product_attention(tq, tk, tv, causal, 0.5f);
    fused.backward(Tensor::from(dout, fused.shape()));
    check_close("fused vs composed out", fused.to_vector(), widen(out), kTol);
    check_close("fused vs composed dq", tq.grad().to_vector(), widen(dq), kTol);
    check_close("fused vs composed dk", tk.grad().to_vector(), widen(dk), kTol);
    check_close("fused vs composed dv", tv.grad().to_vector(), widen(dv), kTol);
  }
}

TEST_CASE("scaled_dot_product_attention: gradients against the double-precision reference") {
  for (bool causal : {false, true}) {
    const Tensor q = random_input(Shape{2, 2, 5, 3}, 1), k = random_input(Shape{2, 2, 6, 3}, 2),
                 v = random_input(Shape{2, 2, 6, 4}, 3);
    GradcheckOptions o;
    o.atol = 1e-5;
    o.rtol = 1e-4;
    o.reference = [causal](const std::vector<std::vector<double>>& in) {
      AttentionDims dims{5, 6, 3, 4, 0.8f, causal};
      return reference(dims, 4, in[0], in[1], in[2], {}).out;
    };
    check_gradients(
        causal ? "sdpa causal" : "sdpa",
        [causal](auto& in) { return scaled_dot_product_attention(in[0], in[1], in[2], causal, 0.8f); },
        {q, k, v}, o);
  }
}

TEST_CASE("scaled_dot_product_attention: float central differences agree, default scale 1/sqrt(d)") {
  const Tensor q = random_input(Shape{3, 4, 4}, 4), k = random_input(Shape{3, 4, 4}, 5),
               v = random_input(Shape{3, 4, 2}, 6);
  check_gradients("sdpa/float",
                  [](auto& in) { return scaled_dot_product_attention(in[0], in[1], in[2], true); },
                  {q, k, v});
  const Tensor a = scaled_dot_product_attention(q, k, v, true),
               b = scaled_dot_product_attention(q, k, v, true, 0.5f);
  CHECK(a.to_vector() == b.to_vector());
}

TEST_CASE("scaled_dot_product_attention: 1 and 2 threads give bitwise-identical results") {
  const Tensor q = random_input(Shape{2, 5, 9, 4}, 7), k = random_input(Shape{2, 5, 11, 4}, 8),
               v = random_input(Shape{2, 5, 11, 3}, 9);
  check_thread_determinism("sdpa", [](auto& in) { return scaled_dot_product_attention(in[0], in[1], in[2]); },
                           {q, k, v});
  check_thread_determinism("sdpa causal",
                           [](auto& in) { return scaled_dot_product_attention(in[0], in[1], in[2], true); },
                           {q, k, v});
}

namespace {

struct Fixture {
  bool causal = false;
  float scale = 1.f;
  std::map<std::string, std::pair<Shape, std::vector<float>>> tensors;
};

std::string fixture_dir() {
  if (const char* root = std::getenv("SYN_SOURCE_DIR"); root && *root)
    return std::string(root) + "/tests/fixtures/attention/";
  const std::string here = __FILE__;  // tests/ops/test_attention.cpp
  return here.substr(0, here.rfind("/ops/")) + "/fixtures/attention/";
}

Fixture read_fixture(const std::string& name) {
  std::ifstream in(fixture_dir() + name + ".txt");
  REQUIRE_MESSAGE(in.good(), "cannot open fixture " << fixture_dir() + name + ".txt");
  Fixture f;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream head(line);
    std::string key;
    head >> key;
    if (key == "causal") {
      int c = 0;
      head >> c;
      f.causal = c != 0;
    } else if (key == "scale") {
      head >> f.scale;
    } else {
      std::vector<int64_t> dims;
      for (int64_t x; head >> x;) dims.push_back(x);
      Shape shape(dims);
      REQUIRE(std::getline(in, line));
      std::istringstream body(line);
      std::vector<float> values;
      for (float x; body >> x;) values.push_back(x);
      REQUIRE_MESSAGE(static_cast<int64_t>(values.size()) == shape.numel(), name << ": " << key << " size");
      f.tensors[key] = {shape, values};
    }
  }
  return f;
}

}  // namespace

TEST_CASE("scaled_dot_product_attention: matches PyTorch fixtures, with and without a causal mask") {
  for (const char* name :
       {"small", "small_causal", "rect", "rect_causal", "patchtst", "patchtst_causal", "blocks_causal"}) {
    const Fixture f = read_fixture(name);
    auto tensor = [&](const std::string& key) {
      const auto& [shape, values] = f.tensors.at(key);
      return Tensor::from(values, shape);
    };
    Tensor q = tensor("q"), k = tensor("k"), v = tensor("v");
    for (Tensor* t : {&q, &k, &v}) t->set_requires_grad(true);
    Tensor out = scaled_dot_product_attention(q, k, v, f.causal, f.scale);
    out.backward(tensor("dout"));
    for (const auto& [key, got] : {std::pair{"out", out}, std::pair{"dq", q.grad()},
                                   std::pair{"dk", k.grad()}, std::pair{"dv", v.grad()}}) {
      const auto& want = f.tensors.at(key).second;
      check_close(std::string(name) + " " + key, got.to_vector(),
                  std::vector<double>(want.begin(), want.end()), kTol);
    }
  }
}

TEST_CASE("scaled_dot_product_attention: NaN and Inf propagate along the rows and keys they touch") {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  NoGradGuard no_grad;
  for (bool causal : {false, true}) {
    Tensor q = random_input(Shape{1, 6, 3}, 1), k = random_input(Shape{1, 6, 3}, 2),
           v = random_input(Shape{1, 6, 2}, 3);
    q.mutable_data()[1 * 3 + 0] = nan;  // query row 1
    Tensor out = scaled_dot_product_attention(q, k, v, causal);
    for (int64_t i = 0; i < 6; ++i)
      for (int64_t e = 0; e < 2; ++e) CHECK(std::isnan(out.at({0, i, e})) == (i == 1));
    q = random_input(Shape{1, 6, 3}, 1);
    k.mutable_data()[3 * 3 + 2] = nan;  // key 3: every row that sees it
    out = scaled_dot_product_attention(q, k, v, causal);
    for (int64_t i = 0; i < 6; ++i) CHECK(std::isnan(out.at({0, i, 0})) == (!causal || i >= 3));
    k = random_input(Shape{1, 6, 3}, 2);
    v.mutable_data()[4 * 2 + 1] = inf;  // value 4, feature 1
    out = scaled_dot_product_attention(q, k, v, causal);
    for (int64_t i = 0; i < 6; ++i) {
      CHECK(std::isinf(out.at({0, i, 1})) == (!causal || i >= 4));
      CHECK(std::isfinite(out.at({0, i, 0})));
    }
  }
}

TEST_CASE(
    "scaled_dot_product_attention: bad shapes are ShapeErrors naming the op, saved inputs are guarded") {
  const Tensor a = Tensor::zeros(Shape{2, 3, 4});
  CHECK_THROWS_WITH_AS(scaled_dot_product_attention(a, a, Tensor::zeros(Shape{2, 5, 4})),
                       doctest::Contains("scaled_dot_product_attention"), ShapeError);
  CHECK_THROWS_AS(scaled_dot_product_attention(a, Tensor::zeros(Shape{2, 3, 5}), a), ShapeError);
  CHECK_THROWS_AS(
      scaled_dot_product_attention(a, Tensor::zeros(Shape{3, 3, 4}), Tensor::zeros(Shape{3, 3, 4})),
      ShapeError);
  CHECK_THROWS_AS(
      scaled_dot_product_attention(Tensor::zeros(Shape{4}), Tensor::zeros(Shape{4}), Tensor::zeros(Shape{4})),
      ShapeError);
  CHECK_THROWS_AS(
      scaled_dot_product_attention(a, Tensor::zeros(Shape{2, 0, 4}), Tensor::zeros(Shape{2, 0, 4})),
      ShapeError);
  CHECK(scaled_dot_product_attention(Tensor::zeros(Shape{2, 0, 4}), a, a).shape() == Shape{2, 0, 4});

  Tensor q = random_input(Shape{2, 3, 4}, 1);
  Tensor out = scaled_dot_product_attention(q, a, a);
  q.mutable_data()[0] = 5.f;
  CHECK_THROWS_WITH_AS(out.backward(Tensor::ones(out.shape())), doctest::Contains("AttentionBackward"),
                       AutogradError);
  Tape::current().clear();
}
