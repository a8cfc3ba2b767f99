#pragma once
// Errors: every user-facing failure throws a typed syn::Error whose message names the op (or file,
// option, tensor) and the shapes or values involved. Kernels never throw; they only assert.
#include <sstream>
#include <stdexcept>
#include <string>

namespace syn {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Shapes that do not fit together (matmul inner sizes, impossible broadcasts, reshape sizes).
class ShapeError : public Error {
 public:
  using Error::Error;
};
// An axis or index outside the tensor.
class IndexError : public Error {
 public:
  using Error::Error;
};
// A value outside its domain (negative probability, empty tensor where data is needed, bad option).
class ValueError : public Error {
 public:
  using Error::Error;
};
// A tensor's storage could not be allocated; the message names the shape and the bytes asked.
class AllocationError : public Error {
 public:
  using Error::Error;
};
// Misuse of the tape: second backward without retain_graph, in-place change of a saved tensor.
class AutogradError : public Error {
 public:
  using Error::Error;
};

namespace detail {
template <class... Args>
std::string concat(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}
}  // namespace detail

}  // namespace syn

// SYN_CHECK(cond, "op: ", x.shape(), " vs ", y.shape()) throws syn::Error with the concatenated message.
#define SYN_CHECK(cond, ...) SYN_CHECK_T(::syn::Error, cond, __VA_ARGS__)
// SYN_CHECK_T(ShapeError, cond, ...) throws the given error type.
#define SYN_CHECK_T(Type, cond, ...)                              \
  do {                                                            \
    if (!(cond)) throw Type(::syn::detail::concat(__VA_ARGS__)); \
  } while (0)
