#pragma once
// Errors: every user-facing failure throws a typed syn::Error whose message names the op (or file,
// option, tensor) and the shapes or values involved. Kernels never throw; they only assert.
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

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

// Note [Quoting input in messages]
// Text that comes from the user's input (a CSV cell, a header name, a JSON value) is quoted in error
// messages through excerpt(): at most kExcerptChars bytes (a longer text is cut after a whole UTF-8
// character, and the message says how many bytes it had) and control bytes written as \xNN (a NUL
// byte as \0), so a message is one readable line whatever the input holds, never megabytes long.
inline constexpr size_t kExcerptChars = 60;

// The first kExcerptChars bytes of text (whole UTF-8 characters), control bytes escaped; `cut` tells
// whether text was longer.
inline std::string clip_text(std::string_view text, bool& cut) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t i = 0;
  auto continuation = [&](size_t k) { return (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80; };
  for (; i < text.size() && (i < kExcerptChars || continuation(i)); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      out += "\\0";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  cut = i < text.size();
  return out;
}
// abc... (N bytes): text for messages without quotes (Note [Quoting input in messages]).
inline std::string clipped(std::string_view text) {
  bool cut = false;
  std::string out = clip_text(text, cut);
  return cut ? concat(out, "... (", text.size(), " bytes)") : out;
}
// 'abc'... (N bytes): text for messages in quotes (Note [Quoting input in messages]).
inline std::string excerpt(std::string_view text) {
  bool cut = false;
  const std::string out = clip_text(text, cut);
  return cut ? concat("'", out, "'... (", text.size(), " bytes)") : concat("'", out, "'");
}
// "a, b, c": every item clipped, at most kListItems of them, then "... (N in all)".
inline constexpr size_t kListItems = 40;
template <class Items>
std::string clipped_list(const Items& items) {
  std::string out;
  size_t n = 0;
  for (const auto& item : items) {
    if (n < kListItems) out += (n ? ", " : "") + clipped(item);
    ++n;
  }
  if (n > kListItems) out += concat(", ... (", n, " in all)");
  return out;
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
