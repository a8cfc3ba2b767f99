#include "synapse/nn/revin.hpp"

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/reduce.hpp"
#include "synapse/ops/shape_ops.hpp"

namespace syn::nn {

RevIN::RevIN(int64_t num_features, RevINOptions options) : num_features_(num_features), options_(options) {
  SYN_CHECK_T(ValueError, num_features > 0, "RevIN: num_features ", num_features, " must be > 0");
  SYN_CHECK_T(ValueError, options.eps >= 0.f, "RevIN: eps ", options.eps, " must be >= 0");
  if (options.affine) {
    affine_weight_ = register_parameter("affine_weight", Tensor::ones(Shape{num_features}));
    affine_bias_ = register_parameter("affine_bias", Tensor::zeros(Shape{num_features}));
  }
}

void RevIN::check_channels(const char* op, const Tensor& t, int64_t first) const {
  SYN_CHECK_T(ShapeError, t.rank() == 3 && first >= 0 && first + t.size(2) <= num_features_, "RevIN::", op,
              ": ", t.shape(), " must be (B, L, C) with channels ", first, " .. ", first,
              " + C - 1 among the ", num_features_, " of the module");
}

std::pair<Tensor, RevINStats> RevIN::normalize(const Tensor& x, int64_t first) const {
  check_channels("normalize", x, first);
  SYN_CHECK_T(ShapeError, x.size(1) > 0, "RevIN::normalize: x ", x.shape(), " has no time steps");
  RevINStats stats;
  {
    NoGradGuard detached;
    stats.center = options_.subtract_last ? narrow(x, 1, x.size(1) - 1, 1) : mean(x, 1, /*keepdim=*/true);
    stats.stdev = sqrt(add(var(x, 1, /*unbiased=*/false, /*keepdim=*/true), options_.eps));
  }
  Tensor y = div(sub(x, stats.center), stats.stdev);
  if (options_.affine) {
    const int64_t c = x.size(2);
    y = add(mul(y, narrow(affine_weight_, 0, first, c)), narrow(affine_bias_, 0, first, c));
  }
  return {y, stats};
}

Tensor RevIN::denormalize(const Tensor& y, const RevINStats& stats, int64_t first) const {
  check_channels("denormalize", y, first);
  const Shape expected{y.size(0), 1, y.size(2)};
  SYN_CHECK_T(ShapeError,
              stats.center.defined() && stats.stdev.defined() && stats.center.shape() == expected &&
                  stats.stdev.shape() == expected,
              "RevIN::denormalize: statistics ",
              stats.center.defined() ? stats.center.shape().str() : "undefined", " do not belong to y ",
              y.shape());
  Tensor out = y;
  if (options_.affine) {
    const int64_t c = y.size(2);
    out = div(sub(out, narrow(affine_bias_, 0, first, c)),
              add(narrow(affine_weight_, 0, first, c), options_.eps * options_.eps));
  }
  return add(mul(out, stats.stdev), stats.center);
}

// y: (B, H)  stats: (B, 1, C) -> (B, H)
Tensor RevIN::denormalize_target(const Tensor& y, const RevINStats& stats) const {
  SYN_CHECK_T(ShapeError, y.rank() == 2 && stats.center.defined() && stats.center.rank() == 3,
              "RevIN::denormalize_target: y ", y.shape(), " must be (B, H) with statistics from normalize()");
  const RevINStats target{narrow(stats.center, 2, 0, 1), narrow(stats.stdev, 2, 0, 1)};
  const Tensor out = denormalize(reshape(y, {y.size(0), y.size(1), 1}), target);
  return reshape(out, {y.size(0), y.size(1)});
}

}  // namespace syn::nn
