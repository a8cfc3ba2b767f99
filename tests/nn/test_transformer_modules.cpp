// Transformer modules beyond the PyTorch fixtures: LayerNorm and BatchNorm1d state handling,
// MultiHeadAttention initialisation and masking, dropout in training only, TransformerEncoder's
// initial copies, RevIN round trips, thread determinism of a whole model, and errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "support/gradcheck.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/nn/batch_norm1d.hpp"
#include "synapse/nn/init.hpp"
#include "synapse/nn/layer_norm_module.hpp"
#include "synapse/nn/multi_head_attention.hpp"
#include "synapse/nn/revin.hpp"
#include "synapse/nn/transformer_encoder_layer.hpp"
#include "synapse/ops/elementwise.hpp"
#include "synapse/ops/norm.hpp"
#include "synapse/ops/reduce.hpp"
#include "synapse/ops/shape_ops.hpp"

using namespace syn;
using namespace syn::nn;
using namespace syn::testing;

namespace {

std::vector<std::string> names(const NamedTensors& named) {
  std::vector<std::string> out;
  for (const auto& [name, _] : named) out.push_back(name);
  return out;
}

bool same_values(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), sizeof(float) * a.numel()) == 0;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  double worst = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    worst = std::max(worst, std::fabs(double(a.data()[i]) - b.data()[i]));
  return worst;
}

float max_abs(const Tensor& t) {
  float m = 0;
  for (float v : t.to_vector()) m = std::max(m, std::fabs(v));
  return m;
}

// Output and every parameter gradient of sum(f() * seed), with `threads` threads and tiny grains.
std::vector<Tensor> run_module(Module& m, const std::function<Tensor()>& f, int threads) {
  const int previous = num_threads();
  set_num_threads(threads);
  GrainOverride grain(7);
  m.zero_grad();
  Tensor y = f();
  Generator gen(9);
  y.backward(Tensor::randn(y.shape(), gen));
  std::vector<Tensor> out{y.detach().clone()};
  for (auto& p : m.parameters()) out.push_back(p.grad().clone());
  set_num_threads(previous);
  return out;
}

TransformerEncoderLayerOptions layer_options(NormKind norm = NormKind::layer, float dropout = 0.f) {
  return {.d_model = 8,
          .n_heads = 2,
          .d_ff = 16,
          .dropout = dropout,
          .activation = Activation::gelu,
          .norm = norm};
}

}  // namespace

TEST_CASE("LayerNorm module: torch's parameters, forward is layer_norm, errors") {
  LayerNorm ln(Shape{4});
  CHECK(names(ln.named_parameters()) == std::vector<std::string>{"weight", "bias"});
  CHECK(ln.weight().to_vector() == std::vector<float>(4, 1.f));
  CHECK(ln.bias().to_vector() == std::vector<float>(4, 0.f));
  Generator gen(1);
  init::normal_(ln.weight(), gen);
  init::normal_(ln.bias(), gen);
  const Tensor x = Tensor::randn(Shape{3, 4}, gen);
  CHECK(same_values(ln.forward(x), layer_norm(x, Shape{4}, ln.weight(), ln.bias())));
  LayerNorm plain(Shape{2, 4}, 1e-3f, /*elementwise_affine=*/false);
  CHECK(plain.named_parameters().empty());
  const Tensor x2 = Tensor::randn(Shape{3, 2, 4}, gen);
  CHECK(same_values(plain.forward(x2), layer_norm(x2, Shape{2, 4}, Tensor(), Tensor(), 1e-3f)));
  CHECK_THROWS_AS(LayerNorm(Shape{}), ValueError);
  CHECK_THROWS_AS(LayerNorm(Shape{4}, -1.f), ValueError);
  CHECK_THROWS_WITH_AS(ln.forward(Tensor::zeros(Shape{3, 5})), doctest::Contains("layer_norm"), ShapeError);
}

TEST_CASE("BatchNorm1d: running statistics with momentum, num_batches_tracked, evaluation") {
  BatchNorm1d bn(3);
  CHECK(names(bn.named_parameters()) == std::vector<std::string>{"weight", "bias"});
  CHECK(names(bn.named_buffers()) ==
        std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"});
  // x: (N=2, C=3, L=2); channel c holds {c, c+2, c+4, c+6}·(c+1): mean and unbiased variance by hand.
  std::vector<float> v(12);
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t l = 0; l < 2; ++l) v[(n * 3 + c) * 2 + l] = float((c + 2 * (n * 2 + l)) * (c + 1));
  const Tensor x = Tensor::from(v, Shape{2, 3, 2});
  const Tensor y = bn.forward(x);
  CHECK(bn.num_batches_tracked().item() == 1.f);
  for (int64_t c = 0; c < 3; ++c) {
    const double mean = (c + 3.0) * (c + 1), var = 20.0 / 3.0 * (c + 1) * (c + 1);  // {0,2,4,6} spread
    CHECK(bn.running_mean().data()[c] == doctest::Approx(0.1 * mean).epsilon(1e-6));
    CHECK(bn.running_var().data()[c] == doctest::Approx(0.9 + 0.1 * var).epsilon(1e-6));
    // normalised with the biased variance: the first element is (c·(c+1) - mean) / sqrt(var·3/4 + eps)
    CHECK(y.at({0, c, 0}) ==
          doctest::Approx((c * (c + 1) - mean) / std::sqrt(var * 0.75 + 1e-5)).epsilon(1e-5));
  }
  // Evaluation: the running statistics, unchanged.
  bn.eval();
  const Tensor rm = bn.running_mean().clone(), rv = bn.running_var().clone();
  const Tensor ye = bn.forward(x);
  CHECK(same_values(bn.running_mean(), rm));
  CHECK(bn.num_batches_tracked().item() == 1.f);
  for (int64_t c = 0; c < 3; ++c)
    CHECK(ye.at({1, c, 1}) ==
          doctest::Approx((x.at({1, c, 1}) - rm.data()[c]) / std::sqrt(rv.data()[c] + 1e-5)));
}

TEST_CASE("BatchNorm1d: momentum unset is a cumulative average, no running statistics, errors") {
  BatchNorm1d bn(2, BatchNorm1dOptions{.momentum = std::nullopt});
  bn.forward(Tensor::from({1, 10, 3, 30}, Shape{2, 2}));  // batch means 2, 20
  bn.forward(Tensor::from({5, 50, 7, 70}, Shape{2, 2}));  // batch means 6, 60
  CHECK(bn.num_batches_tracked().item() == 2.f);
  CHECK(bn.running_mean().to_vector() == std::vector<float>{4.f, 40.f});

  BatchNorm1d free(2, BatchNorm1dOptions{.affine = false, .track_running_stats = false});
  CHECK(free.state_dict().empty());
  free.eval();  // without running statistics, evaluation uses the batch's
  const Tensor x = Tensor::from({1, 10, 3, 30}, Shape{2, 2});
  CHECK(free.forward(x).at({0, 0}) == doctest::Approx(-1.f / std::sqrt(1.f + 1e-5f)));

  CHECK_THROWS_AS(BatchNorm1d(0), ValueError);
  CHECK_THROWS_AS(BatchNorm1d(2, BatchNorm1dOptions{.momentum = 1.5f}), ValueError);
  CHECK_THROWS_WITH_AS(bn.forward(Tensor::zeros(Shape{4, 3})), doctest::Contains("BatchNorm1d"), ShapeError);
  CHECK_THROWS_AS(bn.forward(Tensor::zeros(Shape{4})), ShapeError);
}

TEST_CASE("MultiHeadAttention: torch's names and initialisation") {
  Generator gen(3);
  MultiHeadAttention mha(16, 4, gen);
  CHECK(names(mha.named_parameters()) ==
        std::vector<std::string>{"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"});
  CHECK(max_abs(mha.in_proj_bias()) == 0.f);
  CHECK(max_abs(mha.out_proj().bias()) == 0.f);
  const float xavier = std::sqrt(6.f / (16 + 48)), linear = 1.f / std::sqrt(16.f);
  CHECK(max_abs(mha.in_proj_weight()) <= xavier);
  CHECK(max_abs(mha.in_proj_weight()) > 0.9f * xavier);
  CHECK(max_abs(mha.out_proj().weight()) <= linear);
  CHECK(max_abs(mha.out_proj().weight()) > 0.9f * linear);
  MultiHeadAttention no_bias(16, 4, gen, MultiHeadAttentionOptions{.bias = false});
  CHECK(names(no_bias.named_parameters()) == std::vector<std::string>{"in_proj_weight", "out_proj.weight"});
}

TEST_CASE("MultiHeadAttention: the packed self-attention path equals the general one") {
  Generator gen(4);
  MultiHeadAttention mha(8, 2, gen);
  init::normal_(mha.in_proj_bias(), gen, 0.0, 0.3);
  const Tensor x = Tensor::randn(Shape{2, 5, 8}, gen);
  for (bool causal : {false, true}) {
    CAPTURE(causal);
    CHECK(max_abs_diff(mha.forward(x, causal), mha.forward(x, x, x, causal)) < 1e-6);
  }
}

TEST_CASE("MultiHeadAttention: with the causal mask, no output depends on a later token") {
  Generator gen(5);
  MultiHeadAttention mha(8, 2, gen);
  const int64_t t = 6;
  for (int64_t query = 0; query < t; ++query) {
    CAPTURE(query);
    Tensor x = Tensor::randn(Shape{2, t, 8}, gen).set_requires_grad();
    sum(narrow(mha.forward(x, /*causal=*/true), 1, query, 1)).backward();
    const Tensor g = x.grad();
    for (int64_t s = 0; s < t; ++s) {
      const float m = max_abs(narrow(g, 1, s, 1));
      if (s <= query)
        CHECK(m > 0.f);
      else
        CHECK(m == 0.f);
    }
    mha.zero_grad();
  }
}

TEST_CASE("MultiHeadAttention: attention dropout acts in training only, errors") {
  Generator gen(6);
  MultiHeadAttention mha(8, 2, gen, MultiHeadAttentionOptions{.dropout = 0.5f});
  const Tensor x = Tensor::randn(Shape{2, 5, 8}, gen);
  const Tensor a = mha.forward(x), b = mha.forward(x);
  CHECK(max_abs_diff(a, b) > 1e-3);  // different masks
  mha.eval();
  const Tensor e1 = mha.forward(x), e2 = mha.forward(x);
  CHECK(same_values(e1, e2));
  MultiHeadAttention plain(8, 2, gen);
  plain.load_state_dict(mha.state_dict());
  CHECK(max_abs_diff(e1, plain.forward(x)) < 1e-6);  // evaluation = no dropout

  CHECK_THROWS_WITH_AS(MultiHeadAttention(10, 4, gen), doctest::Contains("divisible"), ValueError);
  CHECK_THROWS_AS(MultiHeadAttention(8, 2, gen, MultiHeadAttentionOptions{.dropout = 1.f}), ValueError);
  CHECK_THROWS_WITH_AS(mha.forward(Tensor::zeros(Shape{2, 5, 6})), doctest::Contains("MultiHeadAttention"),
                       ShapeError);
  CHECK_THROWS_AS(mha.forward(Tensor::zeros(Shape{5, 8})), ShapeError);
  const Tensor q = Tensor::zeros(Shape{2, 3, 8});
  CHECK_THROWS_AS(mha.forward(q, Tensor::zeros(Shape{2, 4, 8}), Tensor::zeros(Shape{2, 5, 8})), ShapeError);
  CHECK_THROWS_AS(mha.forward(q, Tensor::zeros(Shape{1, 4, 8}), Tensor::zeros(Shape{1, 4, 8})), ShapeError);
}

TEST_CASE("TransformerEncoderLayer: torch's names, dropout in training only, errors") {
  Generator gen(7);
  TransformerEncoderLayer layer(layer_options(NormKind::layer, 0.3f), gen);
  CHECK(names(layer.named_parameters()) ==
        std::vector<std::string>{"self_attn.in_proj_weight", "self_attn.in_proj_bias",
                                 "self_attn.out_proj.weight", "self_attn.out_proj.bias", "linear1.weight",
                                 "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight",
                                 "norm1.bias", "norm2.weight", "norm2.bias"});
  const Tensor x = Tensor::randn(Shape{2, 5, 8}, gen);
  CHECK(max_abs_diff(layer.forward(x), layer.forward(x)) > 1e-3);
  layer.eval();
  TransformerEncoderLayer plain(layer_options(), gen);
  plain.load_state_dict(layer.state_dict());
  CHECK(max_abs_diff(layer.forward(x), plain.forward(x)) < 1e-6);

  TransformerEncoderLayer bn(layer_options(NormKind::batch), gen);
  CHECK(names(bn.named_buffers()) ==
        std::vector<std::string>{"norm1.running_mean", "norm1.running_var", "norm1.num_batches_tracked",
                                 "norm2.running_mean", "norm2.running_var", "norm2.num_batches_tracked"});

  CHECK_THROWS_AS(TransformerEncoderLayer(TransformerEncoderLayerOptions{.d_model = 8, .n_heads = 3}, gen),
                  ValueError);
  CHECK_THROWS_AS(TransformerEncoderLayer(layer_options(NormKind::layer, -0.1f), gen), ValueError);
  CHECK_THROWS_WITH_AS(layer.forward(Tensor::zeros(Shape{2, 5, 4})),
                       doctest::Contains("TransformerEncoderLayer"), ShapeError);
}

TEST_CASE("TransformerEncoder: layers.i names, torch's identical initial layers or independent ones") {
  Generator gen(8);
  TransformerEncoder same(layer_options(), 3, gen);
  CHECK(same.layers().size() == 3);
  const auto params = names(same.named_parameters());
  CHECK(params.front() == "layers.0.self_attn.in_proj_weight");
  CHECK(params.back() == "layers.2.norm2.bias");
  auto state0 = same.layers()[0]->state_dict(), state2 = same.layers()[2]->state_dict();
  for (size_t i = 0; i < state0.size(); ++i) CHECK(same_values(state0[i].second, state2[i].second));
  TransformerEncoder independent(layer_options(), 2, gen, /*identical_init=*/false);
  CHECK(!same_values(independent.layers()[0]->self_attn().in_proj_weight(),
                     independent.layers()[1]->self_attn().in_proj_weight()));
  CHECK_THROWS_AS(TransformerEncoder(layer_options(), 0, gen), ValueError);
}

TEST_CASE("TransformerEncoder: outputs and parameter gradients are identical for 1 and 2 threads") {
  for (NormKind norm : {NormKind::layer, NormKind::batch}) {
    Generator gen(9);
    TransformerEncoder enc(layer_options(norm), 2, gen, /*identical_init=*/false);
    const Tensor x = Tensor::randn(Shape{3, 7, 8}, gen);
    StateDict initial = enc.state_dict();
    for (auto& [_, t] : initial) t = t.clone();
    auto run = [&](int threads) {
      auto out = run_module(
          enc, [&] { return enc.forward(x, /*causal=*/true); }, threads);
      enc.load_state_dict(initial);  // undo the running statistics' update
      return out;
    };
    const auto one = run(1), two = run(2);
    REQUIRE(one.size() == two.size());
    for (size_t k = 0; k < one.size(); ++k) CHECK_MESSAGE(same_values(one[k], two[k]), "result " << k);
  }
}

TEST_CASE("RevIN: denormalize inverts normalize, statistics are per series and detached") {
  Generator gen(10);
  RevIN revin(3);
  CHECK(names(revin.named_parameters()) == std::vector<std::string>{"affine_weight", "affine_bias"});
  init::uniform_(revin.affine_weight(), gen, 0.5, 2.0);
  init::normal_(revin.affine_bias(), gen);
  // x: (B=2, L=16, C=3) with its own level and scale per series.
  Tensor x = Tensor::randn(Shape{2, 16, 3}, gen);
  float* px = x.mutable_data();
  for (int64_t i = 0; i < x.numel(); ++i) px[i] = px[i] * float(1 + i % 3) + float(10 * (i % 3) - 5);
  x.set_requires_grad();
  auto [xn, stats] = revin.normalize(x);
  CHECK(stats.center.shape() == Shape{2, 1, 3});
  CHECK(!stats.center.requires_grad());
  CHECK(max_abs_diff(revin.denormalize(xn, stats), x) < 1e-5);
  // Per series: mean(x̂) = bias_c, biased std(x̂) ≈ weight_c (eps aside).
  const Tensor m = mean(xn, 1), sd = syn::sqrt(var(xn, 1, /*unbiased=*/false));
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t c = 0; c < 3; ++c) {
      CHECK(m.at({b, c}) == doctest::Approx(revin.affine_bias().data()[c]).epsilon(1e-4));
      CHECK(sd.at({b, c}) == doctest::Approx(revin.affine_weight().data()[c]).epsilon(1e-4));
    }
  // Detached statistics: d sum(x̂) / dx = weight_c / stdev_(b,c) for every element.
  sum(xn).backward();
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t c = 0; c < 3; ++c)
      CHECK(x.grad().at({b, 5, c}) ==
            doctest::Approx(revin.affine_weight().data()[c] / stats.stdev.at({b, 0, c})).epsilon(1e-5));
}

TEST_CASE("RevIN: subtract_last, channel subsets, errors") {
  Generator gen(11);
  RevIN last(2, RevINOptions{.affine = false, .subtract_last = true});
  CHECK(last.named_parameters().empty());
  const Tensor x = Tensor::randn(Shape{1, 5, 2}, gen);
  auto [xn, stats] = last.normalize(x);
  CHECK(stats.center.at({0, 0, 1}) == x.at({0, 4, 1}));
  CHECK(xn.at({0, 4, 0}) == 0.f);

  RevIN revin(3);
  init::normal_(revin.affine_bias(), gen);
  // Channel 2 alone uses the third affine pair: it matches channel 2 of the full normalisation.
  const Tensor full = Tensor::randn(Shape{2, 6, 3}, gen);
  const Tensor one = narrow(full, 2, 2, 1);
  CHECK(max_abs_diff(revin.normalize(one, 2).first, narrow(revin.normalize(full).first, 2, 2, 1)) < 1e-6);

  CHECK_THROWS_AS(RevIN(0), ValueError);
  CHECK_THROWS_WITH_AS(revin.normalize(Tensor::zeros(Shape{2, 6, 4})), doctest::Contains("RevIN"),
                       ShapeError);
  CHECK_THROWS_AS(revin.normalize(one, 3), ShapeError);
  CHECK_THROWS_AS(revin.normalize(Tensor::zeros(Shape{6, 3})), ShapeError);
  auto [_, s] = revin.normalize(full);
  CHECK_THROWS_WITH_AS(revin.denormalize(Tensor::zeros(Shape{3, 4, 3}), s), doctest::Contains("statistics"),
                       ShapeError);
}
