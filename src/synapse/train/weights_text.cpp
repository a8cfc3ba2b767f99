#include "synapse/train/weights_text.hpp"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "synapse/core/error.hpp"

namespace syn::train {
namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool parse_int(std::string_view s, int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool parse_float(std::string_view s, float& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// One tensor block being read.
struct Pending {
  std::string name;
  Shape shape;
  std::vector<float> values;
  int64_t header_line = 0;
};

}  // namespace

nn::NamedTensors parse_weights_text(std::string_view text, const std::string& source) {
  nn::NamedTensors out;
  std::set<std::string> seen;
  Pending block;
  bool open = false;
  const auto finish = [&] {
    if (!open) return;
    SYN_CHECK_T(ValueError, static_cast<int64_t>(block.values.size()) == block.shape.numel(), source, ":",
                block.header_line, ": tensor '", block.name, "' of shape ", block.shape, " needs ",
                block.shape.numel(), " values, the file has ", block.values.size());
    out.emplace_back(block.name, Tensor::from(block.values, block.shape));
    block.values.clear();
    open = false;
  };

  int64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t eol = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    const std::vector<std::string_view> fields = split_fields(line);
    if (fields.empty() || fields.front().front() == '#') continue;
    if (fields.front() == "tensor") {
      finish();
      int64_t rank = -1;
      SYN_CHECK_T(ValueError,
                  fields.size() >= 3 && parse_int(fields[2], rank) && rank >= 0 &&
                      static_cast<int64_t>(fields.size()) == 3 + rank,
                  source, ":", line_no, ": malformed tensor header '", line,
                  "' (expected: tensor <name> <rank> <dim0> ... <dim(rank-1)>)");
      std::vector<int64_t> dims(static_cast<size_t>(rank));
      for (size_t d = 0; d < dims.size(); ++d)
        SYN_CHECK_T(ValueError, parse_int(fields[3 + d], dims[d]) && dims[d] >= 0, source, ":", line_no,
                    ": dimension ", d, " of tensor '", fields[1], "' is '", fields[3 + d],
                    "' (expected a whole number >= 0)");
      block.name = std::string(fields[1]);
      SYN_CHECK_T(ValueError, seen.insert(block.name).second, source, ":", line_no, ": tensor '", block.name,
                  "' appears twice");
      block.shape = Shape(dims);
      block.header_line = line_no;
      open = true;
      continue;
    }
    SYN_CHECK_T(ValueError, open, source, ":", line_no, ": values before any 'tensor' header");
    for (const std::string_view token : fields) {
      float v = 0;
      SYN_CHECK_T(ValueError, parse_float(token, v), source, ":", line_no, ": '", token, "' in tensor '",
                  block.name, "' is not a number");
      block.values.push_back(v);
    }
  }
  finish();
  return out;
}

nn::NamedTensors read_weights_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  SYN_CHECK_T(ValueError, in.good(), "weights file ", path.string(), ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  SYN_CHECK_T(ValueError, !in.bad(), "weights file ", path.string(), ": read error");
  return parse_weights_text(text.str(), path.string());
}

void write_weights_text(const std::filesystem::path& path, const nn::NamedTensors& tensors) {
  std::ofstream out(path, std::ios::trunc);
  SYN_CHECK_T(ValueError, out.good(), "weights file ", path.string(), ": cannot be written");
  out << "# named tensors (Note [Weights text format])\n";
  char buf[32];
  for (const auto& [name, t] : tensors) {
    SYN_CHECK_T(ValueError, t.defined(), "write_weights_text: tensor '", name, "' is undefined");
    out << "tensor " << name << ' ' << t.rank();
    for (int64_t d = 0; d < t.rank(); ++d) out << ' ' << t.size(d);
    out << '\n';
    const float* v = t.data();
    for (int64_t i = 0; i < t.numel(); ++i) {
      std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v[i]));
      out << buf << ((i % 8 == 7 || i + 1 == t.numel()) ? '\n' : ' ');
    }
  }
  out.flush();
  SYN_CHECK_T(ValueError, out.good(), "weights file ", path.string(), ": write error");
}

void load_weights_text(nn::Module& model, const std::filesystem::path& path) {
  const nn::NamedTensors tensors = read_weights_text(path);
  try {
    model.load_state_dict(tensors);
  } catch (const ShapeError& e) {
    throw ShapeError(detail::concat("weights file ", path.string(), ": ", e.what()));
  } catch (const ValueError& e) {
    throw ValueError(detail::concat("weights file ", path.string(), ": ", e.what()));
  }
}

}  // namespace syn::train
