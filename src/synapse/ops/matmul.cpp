#include "synapse/ops/matmul.hpp"

#include <cstring>

#include "synapse/core/error.hpp"
#include "synapse/core/node.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/ops/blocked_sums.hpp"
#include "synapse/ops/kernels/gemm.hpp"
#include "synapse/ops/shape_ops.hpp"
#include "synapse/ops/sparse_plan.hpp"
#include "synapse/ops/sparse_weight.hpp"

namespace syn {
namespace {

using detail::sparse_linear;
using detail::sparse_linear_backward;
using kernels::gemm;
using kernels::Trans;

// Multiply-adds per parallel chunk of batch entries.
constexpr int64_t kGemmGrain = int64_t{1} << 16;

// y[e] = a[a_of[e]] · b[b_of[e]] for every output batch entry e; a entries are (m, k), b (k, n).
struct BatchPlan {
  int64_t m = 0, k = 0, n = 0, a_count = 0, b_count = 0;
  std::vector<int64_t> a_of, b_of;
  int64_t grain() const { return std::max<int64_t>(1, kGemmGrain / std::max<int64_t>(m * n * k, 1)); }
};

// users[i] = the output entries e with of[e] == i, in increasing order.
std::vector<std::vector<int64_t>> users_of(const std::vector<int64_t>& of, int64_t count) {
  std::vector<std::vector<int64_t>> users(static_cast<size_t>(count));
  for (size_t e = 0; e < of.size(); ++e) users[of[e]].push_back(static_cast<int64_t>(e));
  return users;
}

// Note [Batched matmul gradients]
// An operand entry broadcast to several output entries receives the sum of their gradients. Work is
// split over the operand's entries, each adding its users' products in index order (gemm with
// beta = 1), so every gradient element has one writer and a fixed order (Note [Determinism]).
struct MatmulBackward : Node {
  const char* op = "MatmulBackward";
  SavedTensor a, b;
  BatchPlan plan;
  const char* name() const override { return op; }
  void backward(const std::vector<Tensor>& grads) override {
    const float* gy = grads[0].data();
    const float* pa = a.get(*this).data();
    const float* pb = b.get(*this).data();
    const int64_t m = plan.m, k = plan.k, n = plan.n;
    if (needs_grad(0)) {  // dA = dY·Bᵀ
      float* ga = grad_buffer(0).mutable_data();
      const auto users = users_of(plan.a_of, plan.a_count);
      parallel_for(plan.a_count, plan.grain(), [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i)
          for (int64_t e : users[i])
            gemm(Trans::no, Trans::yes, m, k, n, 1.f, gy + e * m * n, n, pb + plan.b_of[e] * k * n, n, 1.f,
                 ga + i * m * k, k);
      });
    }
    if (needs_grad(1)) {  // dB = Aᵀ·dY
      float* gb = grad_buffer(1).mutable_data();
      const auto users = users_of(plan.b_of, plan.b_count);
      parallel_for(plan.b_count, plan.grain(), [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i)
          for (int64_t e : users[i])
            gemm(Trans::yes, Trans::no, k, n, m, 1.f, pa + plan.a_of[e] * m * k, k, gy + e * m * n, n, 1.f,
                 gb + i * k * n, n);
      });
    }
  }
};

// a: (..., m, k)  b: (..., k, n), both at least 2-D, inner sizes already checked.
Tensor batched(const Tensor& a, const Tensor& b, const char* op, const char* node_name) {
  const Shape &as = a.shape(), &bs = b.shape();
  BatchPlan plan;
  plan.m = as[as.rank() - 2];
  plan.k = as[as.rank() - 1];
  plan.n = bs[bs.rank() - 1];
  // Broadcast the batch dims, aligned on the right.
  const int64_t ra = as.rank() - 2, rb = bs.rank() - 2, r = std::max(ra, rb);
  std::vector<int64_t> dims(static_cast<size_t>(r)), a_step(r, 0), b_step(r, 0);
  plan.a_count = plan.b_count = 1;
  for (int64_t d = r - 1; d >= 0; --d) {
    const int64_t da = d - (r - ra), db = d - (r - rb);
    const int64_t sa = da >= 0 ? as[da] : 1, sb = db >= 0 ? bs[db] : 1;
    SYN_CHECK_T(ShapeError, sa == sb || sa == 1 || sb == 1, op, ": batch dims of a ", as, " and b ", bs,
                " cannot be broadcast");
    dims[d] = std::max(sa, sb);
    if (sa > 1) a_step[d] = plan.a_count;
    if (sb > 1) b_step[d] = plan.b_count;
    plan.a_count *= sa;
    plan.b_count *= sb;
  }
  int64_t batches = 1;
  for (int64_t d : dims) batches *= d;
  plan.a_of.resize(batches);
  plan.b_of.resize(batches);
  for (int64_t e = 0; e < batches; ++e) {
    int64_t rest = e, ia = 0, ib = 0;
    for (int64_t d = r - 1; d >= 0; --d) {
      const int64_t idx = rest % dims[d];
      rest /= dims[d];
      ia += idx * a_step[d];
      ib += idx * b_step[d];
    }
    plan.a_of[e] = ia;
    plan.b_of[e] = ib;
  }
  dims.push_back(plan.m);
  dims.push_back(plan.n);
  Tensor y = Tensor::empty(Shape(dims));
  if (plan.b_count == 1) {
    // b is shared by every entry and a's entries are the output's: one (batches·m, k)·(k, n) product.
    plan.m *= batches;
    plan.a_count = batches = 1;
    plan.a_of.assign(1, 0);
    plan.b_of.assign(1, 0);
  }
  const float* pa = a.data();
  const float* pb = b.data();
  float* py = y.mutable_data();
  const int64_t m = plan.m, k = plan.k, n = plan.n;
  parallel_for(batches, plan.grain(), [&](int64_t e0, int64_t e1) {
    for (int64_t e = e0; e < e1; ++e)
      gemm(Trans::no, Trans::no, m, n, k, 1.f, pa + plan.a_of[e] * m * k, k, pb + plan.b_of[e] * k * n, n,
           0.f, py + e * m * n, n);
  });
  if (auto* node = record<MatmulBackward>({&a, &b}, {&y})) {
    node->op = node_name;
    node->a = a;
    node->b = b;
    node->plan = std::move(plan);
  }
  return y;
}

// Rows of x (flattened to (R, K)) times wᵀ, plus the bias row. The plan is the forward's (Note [Sparse
// plans]); the mask is the snapshot saved with w (Note [Mask invariants] 5).
struct LinearBackward : Node {
  SavedTensor x, w;
  int64_t rows = 0, k = 0, m = 0;
  SparsePlan plan = SparsePlan::dense;
  const char* name() const override { return "LinearBackward"; }
  void backward(const std::vector<Tensor>& grads) override {
    const float* gy = grads[0].data();
    const float* pw = w.get(*this).data();
    float* dx = needs_grad(0) ? grad_buffer(0).mutable_data() : nullptr;
    float* dw = needs_grad(1) ? grad_buffer(1).mutable_data() : nullptr;
    if (plan != SparsePlan::dense) {
      const detail::SparseWeight sw(pw, *w.mask(), m, k, plan, dx != nullptr);
      sparse_linear_backward(sw, gy, x.get(*this).data(), rows, dx, dw);
    } else {
      if (dx)  // dx = dy·w
        gemm(Trans::no, Trans::no, rows, k, m, 1.f, gy, m, pw, k, 1.f, dx, k);
      if (dw) {  // dw = dyᵀ·x
        gemm(Trans::yes, Trans::no, m, k, rows, 1.f, gy, m, x.get(*this).data(), k, 1.f, dw, k);
        if (w.mask()) w.mask()->zero_dead(dw);  // Note [Sparse plans]
      }
    }
    if (needs_grad(2)) detail::add_column_sums(gy, rows, m, grad_buffer(2).mutable_data());
  }
};

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  const Shape &as = a.shape(), &bs = b.shape();
  SYN_CHECK_T(ShapeError, as.rank() >= 1 && bs.rank() >= 1, "matmul: a ", as, " and b ", bs,
              " must both have at least one axis");
  const int64_t ka = as[as.rank() - 1], kb = bs.rank() == 1 ? bs[0] : bs[bs.rank() - 2];
  SYN_CHECK_T(ShapeError, ka == kb, "matmul: a ", as, " and b ", bs, " have inner sizes ", ka, " and ", kb);
  if (as.rank() >= 2 && bs.rank() >= 2) return batched(a, b, "matmul", "MatmulBackward");
  // A 1-D operand gets a unit axis, which is dropped from the result.
  const Tensor a2 = as.rank() == 1 ? reshape(a, {1, ka}) : a;
  const Tensor b2 = bs.rank() == 1 ? reshape(b, {kb, 1}) : b;
  const Tensor y = batched(a2, b2, "matmul", "MatmulBackward");
  std::vector<int64_t> dims = y.shape().dims();
  dims.erase(dims.end() - (bs.rank() == 1 ? 1 : 2));
  if (as.rank() == 1 && bs.rank() == 1) dims.clear();
  return reshape(y, dims);
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  const Shape &as = a.shape(), &bs = b.shape();
  SYN_CHECK_T(ShapeError, as.rank() == 3 && bs.rank() == 3 && as[0] == bs[0] && as[2] == bs[1], "bmm: a ", as,
              " and b ", bs, " must be (B, M, K) and (B, K, N)");
  return batched(a, b, "bmm", "BmmBackward");
}

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& bias) {
  const Shape &xs = x.shape(), &ws = w.shape();
  SYN_CHECK_T(ShapeError, ws.rank() == 2 && xs.rank() >= 1 && xs[xs.rank() - 1] == ws[1], "linear: x ", xs,
              " and w ", ws, " must be (..., K) and (M, K)");
  const int64_t k = ws[1], m = ws[0];
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < xs.rank(); ++d) rows *= xs[d];
  SYN_CHECK_T(ShapeError, !bias.defined() || bias.shape() == Shape{m}, "linear: bias ",
              bias.defined() ? bias.shape().str() : "", " must be (", m, ") for w ", ws);
  std::vector<int64_t> dims = xs.dims();
  dims.back() = m;
  Tensor y = Tensor::empty(Shape(dims));
  float* py = y.mutable_data();
  if (bias.defined()) {
    const float* pb = bias.data();
    parallel_for(rows, std::max<int64_t>(1, kGemmGrain / std::max<int64_t>(m, 1)),
                 [&](int64_t r0, int64_t r1) {
                   for (int64_t r = r0; r < r1; ++r) std::memcpy(py + r * m, pb, sizeof(float) * m);
                 });
  }
  const SparsePlan plan = sparse_plan_for(w, rows);
  if (plan != SparsePlan::dense)
    sparse_linear(detail::SparseWeight(w.data(), *w.mask(), m, k, plan, false, rows == 1), x.data(), rows, py,
                  bias.defined());
  else
    gemm(Trans::no, Trans::yes, rows, m, k, 1.f, x.data(), k, w.data(), k, bias.defined() ? 1.f : 0.f, py, m);
  if (auto* node = record<LinearBackward>({&x, &w, &bias}, {&y})) {
    node->x = x;
    node->w = w;
    node->rows = rows;
    node->k = k;
    node->m = m;
    node->plan = plan;
  }
  return y;
}

}  // namespace syn
