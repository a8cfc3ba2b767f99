#pragma once
// Derivatives of the piecewise-linear functions (abs, clamp, the L1 and Huber losses) at single
// elements. Internal to ops/.
//
// Note [Subgradients]
// At a kink the gradient follows PyTorch: d|x|/dx = 0 at x == 0, and a clamp passes the gradient
// on the closed interval [lo, hi]. A NaN input gives a NaN derivative, so that it reaches the
// gradient (as the relu kernel does) instead of being silently zeroed.
namespace syn::detail {

// d|x|/dx: sign(x), 0 at 0, NaN at NaN
inline float sign(float x) { return x > 0.f ? 1.f : x < 0.f ? -1.f : x == 0.f ? 0.f : x; }
// d clamp(x, lo, hi)/dx: 1 on [lo, hi], 0 outside, NaN at NaN
inline float inside(float x, float lo, float hi) { return x >= lo && x <= hi ? 1.f : x != x ? x : 0.f; }

}  // namespace syn::detail
