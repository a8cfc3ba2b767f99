#pragma once
// Reading the torch-generated fixtures under tests/fixtures/optim/ (tools/fixtures/
// make_optim_fixtures.py describes the format). Tests do not need torch.
#include <map>
#include <string>
#include <vector>

#include "synapse/core/shape.hpp"

namespace syn::testing {

// Path of a file under tests/fixtures/: from $SYN_SOURCE_DIR (set by ctest), else from this
// source file's location (running a test binary directly).
std::string fixture_path(const std::string& relative);

// One optimizer case: parameters before the first step, the gradients given at every step and the
// parameters torch computed after it. grads[s][p] and expect[s][p] are step s + 1, parameter p.
struct OptimCase {
  std::map<std::string, double> options;
  std::vector<Shape> shapes;
  std::vector<std::vector<float>> init;
  std::vector<std::vector<std::vector<float>>> grads, expect;
};
OptimCase load_optim_case(const std::string& name);

// Lines `NAME T LR` of lr_schedules.txt: name -> the learning rates for t = 0, 1, ...
std::map<std::string, std::vector<double>> load_lr_schedules();

}  // namespace syn::testing
