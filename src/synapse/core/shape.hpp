#pragma once
// Shape: the sizes of a contiguous row-major tensor, any rank (rank 0 is a scalar).
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <vector>

namespace syn {

class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<int64_t> dims);
  explicit Shape(std::vector<int64_t> dims);

  int64_t rank() const { return static_cast<int64_t>(dims_.size()); }
  int64_t numel() const;
  int64_t operator[](int64_t axis) const { return dims_[static_cast<size_t>(axis)]; }
  int64_t& operator[](int64_t axis) { return dims_[static_cast<size_t>(axis)]; }
  const std::vector<int64_t>& dims() const { return dims_; }
  // Row-major strides in elements.
  std::vector<int64_t> strides() const;
  // Normalises a possibly negative axis; throws IndexError naming `op` when out of range.
  int64_t axis(int64_t axis, const char* op) const;
  std::string str() const;  // "(2, 3)"

  friend bool operator==(const Shape&, const Shape&) = default;

 private:
  std::vector<int64_t> dims_;
};

std::ostream& operator<<(std::ostream& out, const Shape& shape);

}  // namespace syn
