#pragma once
// Reads the PyTorch fixture files written by tools/fixtures/*.py (format in fixture_io.py):
// named float32 tensors, so tests can compare against PyTorch without needing torch.
#include <map>
#include <string>

#include "synapse/core/tensor.hpp"

namespace syn::testing {

using Fixture = std::map<std::string, Tensor>;

// `relative` is relative to tests/fixtures/ in the source tree; the format is Note [Weights text
// format] in train/weights_text.hpp. Throws ValueError naming the file and line on a malformed file.
Fixture load_fixture(const std::string& relative);

// CHECKs that `actual` matches `expected` in shape and within atol + rtol·|expected| per element;
// `what` names the comparison in failure messages.
void check_close(const std::string& what, const Tensor& actual, const Tensor& expected, double rtol,
                 double atol);

}  // namespace syn::testing
