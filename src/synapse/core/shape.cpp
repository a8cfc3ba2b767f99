#include "synapse/core/shape.hpp"

#include <ostream>
#include <sstream>

#include "synapse/core/error.hpp"

namespace syn {

Shape::Shape(std::initializer_list<int64_t> dims) : Shape(std::vector<int64_t>(dims)) {}

Shape::Shape(std::vector<int64_t> dims) : dims_(std::move(dims)) {
  for (int64_t d : dims_) SYN_CHECK_T(ShapeError, d >= 0, "shape: negative size in ", str());
}

int64_t Shape::numel() const {
  int64_t n = 1;
  for (int64_t d : dims_) n *= d;
  return n;
}

std::vector<int64_t> Shape::strides() const {
  std::vector<int64_t> s(dims_.size(), 1);
  for (int64_t i = rank() - 2; i >= 0; --i) s[i] = s[i + 1] * dims_[i + 1];
  return s;
}

int64_t Shape::axis(int64_t axis, const char* op) const {
  const int64_t r = rank();
  SYN_CHECK_T(IndexError, axis >= -r && axis < r, op, ": axis ", axis, " is out of range for shape ",
              str(), " (rank ", r, ")");
  return axis < 0 ? axis + r : axis;
}

std::string Shape::str() const {
  std::ostringstream out;
  out << '(';
  for (size_t i = 0; i < dims_.size(); ++i) out << (i ? ", " : "") << dims_[i];
  out << ')';
  return out.str();
}

std::ostream& operator<<(std::ostream& out, const Shape& shape) { return out << shape.str(); }

}  // namespace syn
