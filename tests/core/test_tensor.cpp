#include <doctest/doctest.h>

#include <cstdint>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/core/tensor.hpp"

using namespace syn;

TEST_CASE("shape: numel, strides, axis normalisation and errors") {
  Shape s{2, 3, 4};
  CHECK(s.numel() == 24);
  CHECK(s.strides() == std::vector<int64_t>{12, 4, 1});
  CHECK(s.axis(-1, "test") == 2);
  CHECK(Shape{}.numel() == 1);
  CHECK(s.str() == "(2, 3, 4)");
  CHECK_THROWS_AS(s.axis(3, "test"), IndexError);
  CHECK_THROWS_WITH_AS(Shape({2, -1}), doctest::Contains("negative size"), ShapeError);
}

TEST_CASE("tensor: storage is 64-byte aligned and shared between handles and views") {
  Tensor t = Tensor::arange(12).view(Shape{3, 4});
  CHECK(reinterpret_cast<uintptr_t>(t.data()) % 64 == 0);
  CHECK(t.at({2, 1}) == 9.f);
  Tensor same = t;
  same.mutable_data()[0] = 42.f;
  CHECK(t.data()[0] == 42.f);
  Tensor v = t.view(Shape{12});
  CHECK(v.data() == t.data());
  CHECK_THROWS_AS(t.view(Shape{5}), ShapeError);
  CHECK_THROWS_AS(t.at({3, 0}), IndexError);
}

TEST_CASE("tensor: version counter bumps on every in-place write") {
  Tensor t = Tensor::zeros(Shape{4});
  const uint64_t v0 = t.version();
  t.fill_(1.f);
  CHECK(t.version() > v0);
  Tensor view = t.view(Shape{2, 2});
  const uint64_t v1 = t.version();
  view.mutable_data();
  CHECK(t.version() > v1);  // views share the counter
}

TEST_CASE("tensor: clone copies, detach shares, item needs one element") {
  Tensor t = Tensor::from({1, 2, 3}, Shape{3});
  Tensor c = t.clone();
  c.mutable_data()[0] = 9;
  CHECK(t.data()[0] == 1);
  Tensor d = t.detach();
  CHECK(d.data() == t.data());
  CHECK(Tensor::scalar(2.5f).item() == 2.5f);
  CHECK_THROWS_AS(t.item(), ValueError);
  CHECK_THROWS_WITH(Tensor::from({1, 2}, Shape{3}), doctest::Contains("do not fill shape (3)"));
  CHECK_THROWS_AS(Tensor().shape(), ValueError);
}

TEST_CASE("tensor: set_mask zeroes dead entries and checks the size") {
  Tensor w = Tensor::full(Shape{2, 3}, 5.f);
  auto mask = std::make_shared<Mask>(std::vector<uint8_t>{1, 0, 1, 0, 0, 1});
  w.set_mask(mask);
  CHECK(w.to_vector() == std::vector<float>{5, 0, 5, 0, 0, 5});
  CHECK(mask->nnz() == 3);
  CHECK(mask->density() == doctest::Approx(0.5));
  CHECK_THROWS_AS(Tensor::zeros(Shape{4}).set_mask(mask), ShapeError);
}

TEST_CASE("random: seeded streams are reproducible and independent") {
  Generator a(42), b(42), c(42, 1);
  bool all_equal = true, any_differs = false;
  for (int i = 0; i < 100; ++i) {
    const float x = a.normal(), y = b.normal(), z = c.normal();
    all_equal &= (x == y);
    any_differs |= (x != z);
  }
  CHECK(all_equal);
  CHECK(any_differs);
}

TEST_CASE("random: uniform, normal and bernoulli have the right moments") {
  Generator gen(7);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    const float u = gen.uniform();
    CHECK_MESSAGE((u >= 0.f && u < 1.f), "uniform out of range: " << u);
    su += u;
    const double z = gen.normal();
    sn += z;
    sn2 += z * z;
    hits += gen.bernoulli(0.3f);
  }
  CHECK(su / n == doctest::Approx(0.5).epsilon(0.01));
  CHECK(sn / n == doctest::Approx(0.0).epsilon(0.01));
  CHECK(sn2 / n == doctest::Approx(1.0).epsilon(0.01));
  CHECK(static_cast<double>(hits) / n == doctest::Approx(0.3).epsilon(0.01));
  for (int i = 0; i < 1000; ++i) CHECK(gen.below(7) < 7);
}

TEST_CASE("tensor: an allocation that cannot succeed names the shape and the bytes asked") {
  // 2^70 elements: the byte count overflows size_t, refused before asking the system.
  CHECK_THROWS_WITH_AS(Tensor::empty(Shape{int64_t{1} << 35, int64_t{1} << 35}),
                       doctest::Contains("shape (34359738368, 34359738368)"), AllocationError);
  CHECK_THROWS_WITH_AS(Tensor::empty(Shape{int64_t{1} << 35, int64_t{1} << 35}),
                       doctest::Contains("4.72e+21 bytes (4 ZiB"), AllocationError);
#if !defined(__SANITIZE_ADDRESS__)  // ASan aborts on a request beyond its maximum instead of returning null
  // 2^60 bytes fit in size_t but in no address space: the system refuses them.
  CHECK_THROWS_WITH_AS(Tensor::empty(Shape{int64_t{1} << 29, int64_t{1} << 29}),
                       doctest::Contains("1.15e+18 bytes (1 EiB) asked, the system refused"),
                       AllocationError);
#endif
}
