#pragma once
// Broadcasting (NumPy rules): shapes are aligned at their last axis; two sizes fit when they are
// equal or one of them is 1, and the result takes the larger; missing leading axes count as 1.
#include "synapse/core/tensor.hpp"

namespace syn {

// a: A  b: B -> the broadcast shape of A and B; ShapeError naming `op`, A and B if there is none.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// g: G  shape: S (S broadcasts to G) -> y: S, g summed over the axes along which S was broadcast.
// The reverse of broadcasting, for gradients; deterministic (Note [Determinism]). Not recorded.
// May share storage with g (g itself when S == G): callers must not write to the result.
Tensor sum_to(const Tensor& g, const Shape& shape);

// x: X (X broadcasts to S) -> y: S, x repeated along the broadcast axes. Differentiable
// (backward: sum_to). Materialises y: the result is an ordinary contiguous tensor.
Tensor expand(const Tensor& x, const Shape& shape);

}  // namespace syn
