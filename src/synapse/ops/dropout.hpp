#pragma once
// Inverted dropout.
#include "synapse/core/tensor.hpp"

namespace syn {

class Generator;

// x: any shape -> y: same shape. training and p > 0: each element is kept with probability 1 - p
// and scaled by 1 / (1 - p), else zeroed (0 * NaN stays NaN). !training or p == 0: returns x itself.
// p must be in [0, 1) (ValueError). The mask depends only on the generator's state, not on the
// thread count (Note [Dropout streams]); the generator advances by one draw per call.
Tensor dropout(const Tensor& x, float p, bool training, Generator& gen);

}  // namespace syn
