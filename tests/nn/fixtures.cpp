#include "fixtures.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace syn::testing {
namespace {
std::ifstream open(const std::string& relative) {
  const std::string path = fixture_path(relative);
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return in;
}

std::vector<float> read_floats(std::istringstream& line) {
  std::vector<float> values;
  for (std::string token; line >> token;) values.push_back(std::strtof(token.c_str(), nullptr));
  return values;
}

// Grows v so that v[i] exists.
template <class T>
T& slot(std::vector<T>& v, size_t i) {
  if (v.size() <= i) v.resize(i + 1);
  return v[i];
}
}  // namespace

std::string fixture_path(const std::string& relative) {
  const char* root = std::getenv("SYN_SOURCE_DIR");
  const std::filesystem::path base = root ? std::filesystem::path(root) / "tests"
                                          : std::filesystem::path(__FILE__).parent_path().parent_path();
  return (base / "fixtures" / relative).string();
}

OptimCase load_optim_case(const std::string& name) {
  std::ifstream in = open("optim/" + name + ".txt");
  OptimCase c;
  for (std::string text; std::getline(in, text);) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == "option") {
      std::string option;
      double value;
      line >> option >> value;
      c.options[option] = value;
    } else if (key == "shape") {
      size_t p;
      line >> p;
      std::vector<int64_t> dims;
      for (int64_t d; line >> d;) dims.push_back(d);
      slot(c.shapes, p) = Shape(dims);
    } else if (key == "init") {
      size_t p;
      line >> p;
      slot(c.init, p) = read_floats(line);
    } else if (key == "grad" || key == "expect") {
      size_t step, p;
      line >> step >> p;
      slot(slot(key == "grad" ? c.grads : c.expect, step - 1), p) = read_floats(line);
    }
  }
  return c;
}

std::map<std::string, std::vector<double>> load_lr_schedules() {
  std::ifstream in = open("optim/lr_schedules.txt");
  std::map<std::string, std::vector<double>> out;
  for (std::string text; std::getline(in, text);) {
    if (text.empty() || text[0] == '#') continue;
    std::istringstream line(text);
    std::string name;
    size_t t;
    double lr;
    line >> name >> t >> lr;
    slot(out[name], t) = lr;
  }
  return out;
}

}  // namespace syn::testing
