// Shape ops: values, views vs copies, gradients, thread determinism, errors.
#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/shape_ops.hpp"

using namespace syn;
using namespace syn::testing;

namespace {
std::vector<float> iota(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = static_cast<float>(i);
  return v;
}
Tensor counting(const Shape& shape) { return Tensor::from(iota(shape.numel()), shape); }
bool shares_storage(const Tensor& a, const Tensor& b) { return a.impl()->storage == b.impl()->storage; }
}  // namespace

TEST_CASE("reshape: a view with -1 inferred, a new handle, differentiable") {
  Tensor x = counting(Shape{2, 3, 4});
  Tensor y = reshape(x, {4, -1});
  CHECK(y.shape() == Shape{4, 6});
  CHECK(shares_storage(x, y));
  CHECK(!y.same(x));
  CHECK(y.to_vector() == x.to_vector());
  CHECK(reshape(x, {-1}).shape() == Shape{24});
  CHECK(reshape(Tensor::scalar(3.f), {1, 1}).shape() == Shape{1, 1});
  check_gradients("reshape",
                  [](auto& in) {
                    return reshape(in[0], {6, -1});
                  },
                  {random_input(Shape{2, 3, 4}, 1)});
}

TEST_CASE("reshape: bad sizes name the op and the shapes") {
  Tensor x = Tensor::zeros(Shape{2, 3});
  CHECK_THROWS_WITH_AS(reshape(x, {4, -1}),
                       doctest::Contains("reshape: cannot reshape shape (2, 3) into [4, -1]"), ShapeError);
  CHECK_THROWS_WITH_AS(reshape(x, {5}), doctest::Contains("(2, 3)"), ShapeError);
  CHECK_THROWS_WITH_AS(reshape(x, {-1, -1}), doctest::Contains("more than one -1"), ShapeError);
  CHECK_THROWS_AS(reshape(x, {-2, 3}), ShapeError);
  CHECK_THROWS_AS(reshape(Tensor::zeros(Shape{0, 3}), {0, -1}), ShapeError);
}

TEST_CASE("transpose and permute: values and gradients") {
  Tensor x = counting(Shape{2, 3});
  CHECK(transpose(x, 0, 1).to_vector() == std::vector<float>{0, 3, 1, 4, 2, 5});
  CHECK(transpose(x, 0, 1).shape() == Shape{3, 2});
  Tensor z = counting(Shape{2, 3, 4});
  Tensor p = permute(z, {2, 0, 1});
  REQUIRE(p.shape() == Shape{4, 2, 3});
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j)
      for (int64_t k = 0; k < 4; ++k) CHECK(p.at({k, i, j}) == z.at({i, j, k}));
  CHECK(transpose(z, -1, 0).at({3, 1, 0}) == z.at({0, 1, 3}));
  check_gradients("permute",
                  [](auto& in) {
                    return permute(in[0], {1, 2, 0});
                  },
                  {random_input(Shape{2, 3, 4}, 2)});
  check_gradients("transpose", [](auto& in) { return transpose(in[0], 1, 2); },
                  {random_input(Shape{2, 3, 4}, 3)});
}

TEST_CASE("transpose and permute: bad axes") {
  Tensor x = Tensor::zeros(Shape{2, 3});
  CHECK_THROWS_WITH_AS(permute(x, {0}),
                       doctest::Contains("permute: dims [0] do not match the rank of shape (2, 3)"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(permute(x, {1, 1}), doctest::Contains("repeated"), ValueError);
  CHECK_THROWS_WITH_AS(permute(x, {0, 2}), doctest::Contains("permute: axis 2"), IndexError);
  CHECK_THROWS_WITH_AS(transpose(x, 0, -3), doctest::Contains("transpose: axis -3"), IndexError);
}

TEST_CASE("narrow and slice: a view when contiguous, else a copy") {
  Tensor x = counting(Shape{4, 3});
  Tensor rows = narrow(x, 0, 1, 2);
  CHECK(rows.shape() == Shape{2, 3});
  CHECK(shares_storage(rows, x));
  CHECK(rows.data() == x.data() + 3);
  CHECK(rows.to_vector() == std::vector<float>{3, 4, 5, 6, 7, 8});
  Tensor cols = narrow(x, 1, 1, 2);
  CHECK(!shares_storage(cols, x));
  CHECK(cols.to_vector() == std::vector<float>{1, 2, 4, 5, 7, 8, 10, 11});
  // Leading unit axes: still contiguous, so a view.
  Tensor u = counting(Shape{1, 1, 5});
  Tensor v = narrow(u, 2, 3, 2);
  CHECK(shares_storage(u, v));
  CHECK(v.to_vector() == std::vector<float>{3, 4});
  // A view of a view keeps the offset.
  CHECK(narrow(rows, 0, 1, 1).to_vector() == std::vector<float>{6, 7, 8});
  CHECK(slice(x, 1, -2, 3).to_vector() == cols.to_vector());
  CHECK(slice(x, 0, 2, -1).to_vector() == std::vector<float>{6, 7, 8});
  CHECK(narrow(x, 1, 3, 0).shape() == Shape{4, 0});
}

TEST_CASE("narrow and slice: gradients through the view and the copy") {
  const Tensor x = random_input(Shape{4, 3, 2}, 4);
  check_gradients("narrow/axis0", [](auto& in) { return narrow(in[0], 0, 1, 2); }, {x});
  check_gradients("narrow/axis1", [](auto& in) { return narrow(in[0], 1, 1, 2); }, {x});
  check_gradients("slice/axis2", [](auto& in) { return slice(in[0], -1, 1, 2); }, {x});
  // Two narrows of the same input accumulate into one gradient.
  Tensor a = counting(Shape{4}).set_requires_grad();
  Tensor y = concat({narrow(a, 0, 0, 3), narrow(a, 0, 1, 3)}, 0);
  y.backward(Tensor::ones(Shape{6}));
  CHECK(a.grad().to_vector() == std::vector<float>{1, 2, 2, 1});
}

TEST_CASE("narrow and slice: out-of-range starts are IndexErrors naming the shape") {
  Tensor x = Tensor::zeros(Shape{4, 3});
  CHECK_THROWS_WITH_AS(narrow(x, 1, 2, 2), doctest::Contains("narrow: start 2 and length 2"), IndexError);
  CHECK_THROWS_WITH_AS(narrow(x, 1, 2, 2), doctest::Contains("(4, 3)"), IndexError);
  CHECK_THROWS_AS(narrow(x, 0, -1, 1), IndexError);
  CHECK_THROWS_AS(narrow(x, 2, 0, 1), IndexError);
  CHECK_THROWS_WITH_AS(slice(x, 0, 3, 1), doctest::Contains("slice: [3, 1)"), IndexError);
  CHECK_THROWS_AS(slice(x, 0, 0, 5), IndexError);
}

TEST_CASE("concat and stack: values") {
  Tensor a = counting(Shape{2, 2}), b = Tensor::full(Shape{2, 1}, -1.f);
  CHECK(concat({a, b}, 1).to_vector() == std::vector<float>{0, 1, -1, 2, 3, -1});
  CHECK(concat({a, b}, -1).shape() == Shape{2, 3});
  CHECK(concat({a, a}, 0).to_vector() == std::vector<float>{0, 1, 2, 3, 0, 1, 2, 3});
  CHECK(concat({a, Tensor::zeros(Shape{0, 2})}, 0).to_vector() == a.to_vector());
  Tensor c = Tensor::full(Shape{2, 2}, 9.f);
  CHECK(stack({a, c}, 0).shape() == Shape{2, 2, 2});
  CHECK(stack({a, c}, 0).to_vector() == std::vector<float>{0, 1, 2, 3, 9, 9, 9, 9});
  CHECK(stack({a, c}, 1).to_vector() == std::vector<float>{0, 1, 9, 9, 2, 3, 9, 9});
  CHECK(stack({a, c}, -1).to_vector() == std::vector<float>{0, 9, 1, 9, 2, 9, 3, 9});
  CHECK(stack({a, c}, -1).shape() == Shape{2, 2, 2});
}

TEST_CASE("concat and stack: gradients, including inputs that need none") {
  const Tensor a = random_input(Shape{2, 3, 2}, 5), b = random_input(Shape{2, 1, 2}, 6);
  Tensor constant = random_input(Shape{2, 2, 2}, 7).detach();
  check_gradients("concat/axis1",
                  [](auto& in) {
                    return concat({in[0], in[1], in[2]}, 1);
                  },
                  {a, b, constant});
  check_gradients("concat/axis0", [](auto& in) { return concat({in[0], in[1]}, 0); }, {a, a});
  check_gradients("stack/axis2", [](auto& in) { return stack({in[0], in[1]}, 2); }, {a, a});
  check_gradients("stack/axis0", [](auto& in) { return stack({in[0], in[0], in[1]}, 0); }, {b, b});
}

TEST_CASE("concat and stack: mismatched inputs") {
  Tensor a = Tensor::zeros(Shape{2, 3}), b = Tensor::zeros(Shape{3, 3});
  CHECK_THROWS_WITH_AS(concat({a, b}, 1), doctest::Contains("concat: tensor 1 of shape (3, 3)"), ShapeError);
  CHECK_THROWS_AS(concat({a, Tensor::zeros(Shape{2, 3, 1})}, 0), ShapeError);
  CHECK_THROWS_AS(concat({}, 0), ValueError);
  CHECK_THROWS_AS(concat({a, Tensor()}, 0), ValueError);
  CHECK_THROWS_AS(concat({a}, 2), IndexError);
  CHECK_THROWS_WITH_AS(stack({a, b}, 0), doctest::Contains("stack: tensor 1 has shape (3, 3)"), ShapeError);
  CHECK_THROWS_WITH_AS(stack({a}, 3), doctest::Contains("stack: axis 3"), IndexError);
  CHECK_THROWS_AS(stack({a}, -4), IndexError);
}

TEST_CASE("unfold: sliding windows as a new last axis (PatchTST patching)") {
  Tensor x = counting(Shape{2, 7});
  Tensor y = unfold(x, 1, 3, 2);  // windows starting at 0, 2, 4
  REQUIRE(y.shape() == Shape{2, 3, 3});
  CHECK(y.to_vector() == std::vector<float>{0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 9, 9, 10, 11, 11, 12, 13});
  // Along a middle axis: y[o, w, i, s] = x[o, w * step + s, i].
  Tensor z = counting(Shape{2, 5, 3});
  Tensor u = unfold(z, 1, 2, 3);
  REQUIRE(u.shape() == Shape{2, 2, 3, 2});
  for (int64_t o = 0; o < 2; ++o)
    for (int64_t w = 0; w < 2; ++w)
      for (int64_t i = 0; i < 3; ++i)
        for (int64_t s = 0; s < 2; ++s) CHECK(u.at({o, w, i, s}) == z.at({o, w * 3 + s, i}));
  CHECK(unfold(x, -1, 7, 1).shape() == Shape{2, 1, 7});
}

TEST_CASE("unfold: gradients with overlapping and disjoint windows") {
  const Tensor x = random_input(Shape{2, 3, 9}, 8);
  check_gradients("unfold/overlap", [](auto& in) { return unfold(in[0], -1, 4, 2); }, {x});
  check_gradients("unfold/gaps", [](auto& in) { return unfold(in[0], 2, 2, 3); }, {x});
  check_gradients("unfold/middle", [](auto& in) { return unfold(in[0], 1, 2, 1); }, {x});
  // Each element receives one gradient per window that contains it.
  Tensor a = Tensor::zeros(Shape{5}).set_requires_grad();
  unfold(a, 0, 3, 1).backward(Tensor::ones(Shape{3, 3}));
  CHECK(a.grad().to_vector() == std::vector<float>{1, 2, 3, 2, 1});
}

TEST_CASE("unfold: bad window sizes") {
  Tensor x = Tensor::zeros(Shape{2, 3});
  CHECK_THROWS_WITH_AS(unfold(x, 1, 4, 1),
                       doctest::Contains("unfold: window size 4 exceeds size 3 of axis 1"), ShapeError);
  CHECK_THROWS_WITH_AS(unfold(x, 1, 2, 0), doctest::Contains("unfold: size 2 and step 0"), ValueError);
  CHECK_THROWS_AS(unfold(x, 1, 0, 1), ValueError);
  CHECK_THROWS_AS(unfold(x, 2, 1, 1), IndexError);
}

TEST_CASE("pad_replicate: edge values repeated, gradients collected at the edges") {
  Tensor x = Tensor::from({1, 2, 3}, Shape{3});
  CHECK(pad_replicate(x, 0, 2, 1).to_vector() == std::vector<float>{1, 1, 1, 2, 3, 3});
  CHECK(pad_replicate(x, 0, 0, 0).to_vector() == x.to_vector());
  Tensor z = counting(Shape{2, 2, 2});
  CHECK(pad_replicate(z, 1, 1, 1).to_vector() ==
        std::vector<float>{0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7});
  Tensor a = Tensor::zeros(Shape{3}).set_requires_grad();
  pad_replicate(a, 0, 2, 3).backward(Tensor::from({1, 2, 3, 4, 5, 6, 7, 8}, Shape{8}));
  CHECK(a.grad().to_vector() == std::vector<float>{6, 4, 26});
  const Tensor r = random_input(Shape{2, 3, 4}, 9);
  check_gradients("pad_replicate/last", [](auto& in) { return pad_replicate(in[0], -1, 1, 3); }, {r});
  check_gradients("pad_replicate/middle", [](auto& in) { return pad_replicate(in[0], 1, 2, 0); }, {r});
}

TEST_CASE("pad_replicate: bad padding") {
  CHECK_THROWS_WITH_AS(pad_replicate(Tensor::zeros(Shape{2}), 0, -1, 0), doctest::Contains("pad_replicate"),
                       ValueError);
  CHECK_THROWS_WITH_AS(pad_replicate(Tensor::zeros(Shape{2, 0}), 1, 0, 1), doctest::Contains("(2, 0)"),
                       ShapeError);
  CHECK_THROWS_AS(pad_replicate(Tensor::zeros(Shape{2}), 1, 1, 1), IndexError);
}

TEST_CASE("shape ops: PatchTST patching (pad the end by `stride`, then unfold) differentiates end to end") {
  const Tensor x = random_input(Shape{2, 3, 12}, 10);
  check_gradients("patching", [](auto& in) { return unfold(pad_replicate(in[0], -1, 0, 4), -1, 8, 4); }, {x});
  Tensor p = unfold(pad_replicate(x.detach(), -1, 0, 4), -1, 8, 4);
  CHECK(p.shape() == Shape{2, 3, 3, 8});
  CHECK(p.at({1, 2, 2, 7}) == x.at({1, 2, 11}));  // padded with the last value
}

TEST_CASE("shape ops: 1 and 2 threads give bitwise-identical results") {
  const Tensor x = random_input(Shape{6, 5, 40}, 11);
  check_thread_determinism("reshape", [](auto& in) { return reshape(in[0], {30, -1}); }, {x});
  check_thread_determinism("permute", [](auto& in) { return permute(in[0], {2, 0, 1}); }, {x});
  check_thread_determinism("narrow", [](auto& in) { return narrow(in[0], 2, 3, 20); }, {x});
  check_thread_determinism("concat", [](auto& in) { return concat({in[0], in[0]}, 1); }, {x});
  check_thread_determinism("stack", [](auto& in) { return stack({in[0], in[0]}, 2); }, {x});
  check_thread_determinism("unfold", [](auto& in) { return unfold(in[0], 2, 8, 3); }, {x});
  check_thread_determinism("pad_replicate", [](auto& in) { return pad_replicate(in[0], 1, 2, 3); }, {x});
}

TEST_CASE("shape ops: NaN is carried to exactly the positions it moves to") {
  Tensor x = Tensor::from({0, NAN, 2, 3, 4, 5}, Shape{2, 3});
  Tensor t = transpose(x, 0, 1);
  CHECK(std::isnan(t.at({1, 0})));
  CHECK(t.at({0, 0}) == 0.f);
  Tensor p = pad_replicate(x, 1, 1, 1);
  CHECK(std::isnan(p.at({0, 2})));
  CHECK(!std::isnan(p.at({0, 1})));
  Tensor u = unfold(x, 1, 2, 1);
  CHECK(std::isnan(u.at({0, 0, 1})));
  CHECK(std::isnan(u.at({0, 1, 0})));
  CHECK(!std::isnan(u.at({1, 0, 0})));
}

TEST_CASE("shape ops: views of tensors that require grad are recorded, new handles") {
  Tensor x = random_input(Shape{4, 3}, 12);
  Tensor v = narrow(x, 0, 0, 2), r = reshape(x, {12});
  CHECK(!v.same(x));
  CHECK(!r.same(x));
  CHECK(v.requires_grad());
  CHECK(!v.is_leaf());
  CHECK(x.is_leaf());
  Tape::current().clear();
}
