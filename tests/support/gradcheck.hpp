#pragma once
// The one gradient-check harness every differentiable op passes.
//
// check_gradients(name, f, inputs, options):
//   1. y = f(inputs); a fixed random projection R of y's shape; backward(seed = R) gives the
//      analytic gradient of L = sum(R * y) for every input that requires grad.
//   2. The numerical gradient of L by central differences, element by element, with L summed in
//      double. In float the step is options.eps; when options.reference (a double-precision
//      implementation of f) is given, differences are taken through it with a tiny step instead,
//      which removes float cancellation error, and f's forward values are checked against it too.
//   3. |analytic - numeric| <= atol + rtol * |numeric| for every element; a failure names the op,
//      the input, the element index and both values.
#include <functional>
#include <string>
#include <vector>

#include "synapse/core/tensor.hpp"

namespace syn::testing {

using OpFn = std::function<Tensor(const std::vector<Tensor>&)>;
// Double-precision reference: inputs as flat double vectors (same order and shapes as `inputs`),
// returns y as a flat double vector.
using ReferenceFn = std::function<std::vector<double>(const std::vector<std::vector<double>>&)>;

struct GradcheckOptions {
  double eps = 1e-2;    // float central-difference step
  double atol = 2e-3;
  double rtol = 2e-2;
  uint64_t seed = 1234;
  ReferenceFn reference;  // optional double-precision path
  double reference_eps = 1e-6;
};

// Options for a check through a double-precision reference, with tight tolerances.
GradcheckOptions with_reference(ReferenceFn reference, double atol = 1e-5, double rtol = 1e-4);

// Fails the current doctest case (CHECK) on any mismatch.
void check_gradients(const std::string& name, const OpFn& f, const std::vector<Tensor>& inputs,
                     const GradcheckOptions& options = {});

// Runs f forward and backward (seed R) with 1 thread and with 2 threads, forcing parallel_for to
// split even small inputs, and CHECKs that outputs and gradients are bitwise identical.
void check_thread_determinism(const std::string& name, const OpFn& f, const std::vector<Tensor>& inputs);

// Random inputs for tests: values in [low, high), requires_grad set.
Tensor random_input(const Shape& shape, uint64_t seed, float low = -1.f, float high = 1.f);

}  // namespace syn::testing
