#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/pruning/pruner.hpp"
#include "synapse/train/model_factory.hpp"

using namespace syn;
using namespace syn::pruning;

namespace {

nn::NamedTensors random_params(uint64_t seed) {
  Generator gen(seed);
  return {{"a.weight", Tensor::randn(Shape{7, 5}, gen)},
          {"a.bias", Tensor::randn(Shape{7}, gen)},
          {"b.weight", Tensor::randn(Shape{6, 11}, gen)}};
}

PrunerOptions with(Scope scope, Granularity g = {}) {
  PrunerOptions o;
  o.scope = scope;
  o.granularity = g;
  return o;
}

int64_t dead_count(const Tensor& t) { return t.mask() ? t.numel() - t.mask()->nnz() : 0; }

bool is_dead(const Tensor& t, int64_t i) { return t.mask() && !t.mask()->live(i); }

// Dead entries are exactly 0 (Note [Mask invariants] 2).
void check_dead_zero(const Tensor& t) {
  for (int64_t i = 0; i < t.numel(); ++i)
    if (is_dead(t, i)) CHECK(t.data()[i] == 0.0f);
}

struct Entry {
  float magnitude;
  size_t tensor;
  int64_t index;
};

}  // namespace

TEST_CASE("pruner: global element pruning kills exactly round(s * size) entries, the smallest |w| overall") {
  nn::NamedTensors params = random_params(1);
  std::vector<Entry> entries;
  for (size_t t : {size_t{0}, size_t{2}})
    for (int64_t i = 0; i < params[t].second.numel(); ++i)
      entries.push_back({std::fabs(params[t].second.data()[i]), t, i});
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.magnitude < b.magnitude; });

  Pruner pruner(params, with(Scope::global));
  const PruneReport r = pruner.prune(0.37);
  const int64_t size = 35 + 66, want = std::llround(0.37 * size);
  CHECK(r.size == size);
  CHECK(size - r.live == want);
  CHECK(r.achieved == doctest::Approx(static_cast<double>(want) / size));
  CHECK(std::fabs(r.achieved - 0.37) <= 1.0 / size);
  CHECK(r.threshold == doctest::Approx(entries[static_cast<size_t>(want - 1)].magnitude));
  for (size_t k = 0; k < entries.size(); ++k) {
    CAPTURE(k);
    CHECK(is_dead(params[entries[k].tensor].second, entries[k].index) == (k < static_cast<size_t>(want)));
  }
  CHECK(!params[1].second.mask());  // the bias is not prunable by default
  REQUIRE(r.tensors.size() == 2);
  CHECK(r.tensors[0].name == "a.weight");
  CHECK(r.tensors[0].live + r.tensors[1].live == r.live);
  CHECK(pruner.sparsity() == r.achieved);
  for (const auto& [_, t] : params) check_dead_zero(t);
}

TEST_CASE("pruner: per-tensor element pruning reaches the target in every tensor") {
  nn::NamedTensors params = random_params(2);
  Pruner pruner(params, with(Scope::per_tensor));
  const PruneReport r = pruner.prune(0.6);
  CHECK(dead_count(params[0].second) == std::llround(0.6 * 35));
  CHECK(dead_count(params[2].second) == std::llround(0.6 * 66));
  CHECK(std::isnan(r.threshold));
  for (const TensorReport& t : r.tensors) {
    CHECK(std::fabs(t.sparsity - 0.6) <= 1.0 / t.size);
    CHECK(!std::isnan(t.threshold));
  }
  // Within a tensor the dead entries are the smallest: every dead |w| <= every live |w|.
  const Tensor& w = params[2].second;
  Tensor original = random_params(2)[2].second;
  float max_dead = 0, min_live = INFINITY;
  for (int64_t i = 0; i < w.numel(); ++i) {
    const float m = std::fabs(original.data()[i]);
    if (is_dead(w, i)) max_dead = std::max(max_dead, m);
    else min_live = std::min(min_live, m);
  }
  CHECK(max_dead <= min_live);
  CHECK(r.tensors[1].threshold == doctest::Approx(max_dead));
}

TEST_CASE("pruner: row and block granularity kill whole units, within one unit of the target") {
  for (const char* text : {"row", "block:2x2", "block:3x4", "block:1x4"}) {
    for (Scope scope : {Scope::global, Scope::per_tensor}) {
      CAPTURE(text);
      CAPTURE(scope_name(scope));
      const Granularity g = Granularity::parse(text);
      nn::NamedTensors params = random_params(3);
      Pruner pruner(params, with(scope, g));
      const PruneReport r = pruner.prune(0.45);
      const int64_t unit_max = g.kind == Granularity::Kind::row ? 11 : g.block_rows * g.block_cols;
      auto check_group = [&](int64_t size, int64_t dead) {
        const int64_t want = std::llround(0.45 * static_cast<double>(size));
        CHECK(dead >= want);
        CHECK(dead - want < unit_max);
      };
      if (scope == Scope::global)
        check_group(r.size, r.size - r.live);
      else
        for (const TensorReport& t : r.tensors) check_group(t.size, t.size - t.live);
      // Each unit is entirely dead or entirely live.
      for (size_t t : {size_t{0}, size_t{2}}) {
        const Tensor& w = params[t].second;
        const UnitLayout layout(w.shape(), g);
        for (int64_t u = 0; u < layout.units(); ++u) {
          int64_t dead = 0, n = 0;
          layout.for_each_element(u, [&](int64_t i) {
            dead += is_dead(w, i);
            ++n;
          });
          CHECK((dead == 0 || dead == n));
        }
        check_dead_zero(w);
      }
    }
  }
}

TEST_CASE("pruner: row pruning removes the rows with the smallest sum of |w|") {
  Tensor w = Tensor::from({1, 1, 1, /**/ 5, 0, 0, /**/ 0.5f, 0.5f, 0.5f, /**/ -3, 3, 0}, Shape{4, 3});
  Pruner pruner({{"w.weight", w}}, with(Scope::global, Granularity::parse("row")));
  const PruneReport r = pruner.prune(0.5);
  CHECK(w.to_vector() == std::vector<float>{0, 0, 0, 5, 0, 0, 0, 0, 0, -3, 3, 0});
  CHECK(r.threshold == doctest::Approx(3.0));
}

TEST_CASE("pruner: block tiles at the edges are smaller when the block does not divide the matrix") {
  const UnitLayout layout(Shape{5, 3}, Granularity::parse("block:2x2"));
  CHECK(layout.units() == 6);
  std::vector<int64_t> last;
  layout.for_each_element(5, [&](int64_t i) { last.push_back(i); });
  CHECK(last == std::vector<int64_t>{14});
  std::vector<int64_t> first;
  layout.for_each_element(0, [&](int64_t i) { first.push_back(i); });
  CHECK(first == std::vector<int64_t>{0, 1, 3, 4});
  CHECK(UnitLayout(Shape{7}, Granularity::parse("row")).units() == 7);  // a vector: one entry per row
}

TEST_CASE("pruner: masks only lose entries, and dead entries count toward the target") {
  nn::NamedTensors params = random_params(4);
  Pruner pruner(params, with(Scope::global));
  std::vector<std::vector<float>> previous_dead(3);
  for (double target : {0.2, 0.5, 0.3, 0.5, 0.8}) {
    CAPTURE(target);
    std::vector<std::shared_ptr<const Mask>> before;
    for (const auto& [_, t] : params) before.push_back(t.mask());
    const int64_t dead_before = pruner.report().size - pruner.report().live;
    const PruneReport r = pruner.prune(target);
    const int64_t want = std::llround(target * static_cast<double>(r.size));
    CHECK(r.size - r.live == std::max(want, dead_before));
    if (want <= dead_before) CHECK(std::isnan(r.threshold));
    for (size_t t = 0; t < params.size(); ++t) {
      if (!before[t]) continue;
      for (int64_t i = 0; i < params[t].second.numel(); ++i)
        if (!before[t]->live(i)) CHECK(is_dead(params[t].second, i));
      if (want <= dead_before) CHECK(params[t].second.mask() == before[t]);  // no new mask when nothing dies
    }
  }
  // A mask installed from outside (large weights dead) counts: only the rest is pruned by score.
  nn::NamedTensors fresh = random_params(5);
  Tensor& w = fresh[0].second;
  std::vector<uint8_t> live(35, 1);
  for (int64_t i = 0; i < 35; ++i) live[static_cast<size_t>(i)] = std::fabs(w.data()[i]) < 1.0f;
  const int64_t outside = 35 - std::accumulate(live.begin(), live.end(), int64_t{0});
  REQUIRE(outside > 0);
  w.set_mask(std::make_shared<const Mask>(live));
  Pruner single({fresh[0]}, with(Scope::global));
  single.prune(0.6);
  CHECK(dead_count(w) == std::llround(0.6 * 35));
}

TEST_CASE("pruner: ties are broken by tensor order, then by index") {
  nn::NamedTensors params = {{"x.weight", Tensor::ones(Shape{3, 4})}, {"y.weight", Tensor::ones(Shape{2, 5})}};
  Pruner pruner(params, with(Scope::global));
  pruner.prune(0.5);  // 11 of 22 equal entries die: the first 11 of x
  for (int64_t i = 0; i < 12; ++i) CHECK(is_dead(params[0].second, i) == (i < 11));
  CHECK(!params[1].second.mask());
  // Same again from scratch gives the same masks.
  nn::NamedTensors again = {{"x.weight", Tensor::ones(Shape{3, 4})}, {"y.weight", Tensor::ones(Shape{2, 5})}};
  Pruner(again, with(Scope::global)).prune(0.5);
  for (int64_t i = 0; i < 12; ++i) CHECK(is_dead(again[0].second, i) == is_dead(params[0].second, i));
  // Rows of equal sums: the earlier rows go first.
  Tensor rows = Tensor::ones(Shape{4, 3});
  Pruner({{"r.weight", rows}}, with(Scope::global, Granularity::parse("row"))).prune(0.5);
  CHECK(rows.to_vector() == std::vector<float>{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1});
}

TEST_CASE("pruner: the random score is reproducible by seed and differs across seeds") {
  auto masks_for = [](uint64_t seed) {
    nn::NamedTensors params = random_params(6);
    PrunerOptions o;
    o.score = ScoreKind::random;
    o.seed = seed;
    Pruner pruner(params, o);
    pruner.prune(0.3);
    pruner.prune(0.6);
    std::vector<uint8_t> flags;
    for (size_t t : {size_t{0}, size_t{2}})
      for (int64_t i = 0; i < params[t].second.numel(); ++i) flags.push_back(params[t].second.mask()->live(i));
    return flags;
  };
  CHECK(masks_for(11) == masks_for(11));
  CHECK(masks_for(11) != masks_for(12));
  // Random pruning does not follow magnitude: with this seed some pruned entry is larger than a kept one.
  nn::NamedTensors params = random_params(6);
  PrunerOptions o;
  o.score = ScoreKind::random;
  o.seed = 11;
  Pruner(params, o).prune(0.5);
  const Tensor original = random_params(6)[2].second;
  float max_dead = 0, min_live = INFINITY;
  for (int64_t i = 0; i < original.numel(); ++i) {
    const float m = std::fabs(original.data()[i]);
    if (is_dead(params[2].second, i)) max_dead = std::max(max_dead, m);
    else min_live = std::min(min_live, m);
  }
  CHECK(max_dead > min_live);
}

TEST_CASE("pruner: the grad-magnitude score prunes the smallest |w * grad| and needs a gradient") {
  Tensor w = Tensor::from({1, 2, 3, 4}, Shape{2, 2}).set_requires_grad();
  PrunerOptions o;
  o.score = ScoreKind::grad_magnitude;
  Pruner pruner({{"w.weight", w}}, o);
  CHECK_THROWS_WITH_AS(pruner.prune(0.5), doctest::Contains("'w.weight' needs its gradient"), ValueError);
  w.set_grad(Tensor::from({4, -0.1f, 1, 0.01f}, Shape{2, 2}));  // |w g| = 4, 0.2, 3, 0.04
  const PruneReport r = pruner.prune(0.5);
  CHECK(w.to_vector() == std::vector<float>{1, 0, 3, 0});
  CHECK(r.threshold == doctest::Approx(0.2));
}

TEST_CASE("pruner: a target below 0 or at or above 1 throws ValueError") {
  nn::NamedTensors params = random_params(7);
  Pruner pruner(params, {});
  CHECK_THROWS_WITH_AS(pruner.prune(1.0), doctest::Contains("[0, 1)"), ValueError);
  CHECK_THROWS_AS(pruner.prune(-0.1), ValueError);
  CHECK_THROWS_AS(pruner.prune(NAN), ValueError);
  CHECK(pruner.prune(0.0).live == pruner.report().size);
}

TEST_CASE("pruner: a near-total target keeps one entry alive") {
  Tensor w = Tensor::from({1, 2, 3}, Shape{3, 1});
  Pruner({{"w.weight", w}}, with(Scope::per_tensor)).prune(0.99);
  CHECK(w.to_vector() == std::vector<float>{0, 0, 3});
}

TEST_CASE("pruner: LSTM recurrent weights are reported per gate (i, f, g, o) and sum to the tensor") {
  nn::ModelConfig c;
  c.kind = "lstm";
  c.input_size = 3;
  c.lookback = 8;
  c.horizon = 2;
  c.hidden_size = 6;
  c.num_layers = 1;
  auto model = train::make_forecaster(c);
  Pruner pruner(*model, {});
  CHECK(pruner.options().model_kind == "lstm");
  const PruneReport r = pruner.prune(0.5);
  std::vector<std::string> names;
  for (const TensorReport& t : r.tensors) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"rnn.weight_ih_l0", "rnn.weight_hh_l0", "head.weight"});
  for (const TensorReport& t : r.tensors) {
    CAPTURE(t.name);
    if (t.name == "head.weight") {
      CHECK(t.gates.empty());
      continue;
    }
    REQUIRE(t.gates.size() == 4);
    CHECK(t.gates[0].name == "i");
    CHECK(t.gates[3].name == "o");
    int64_t live = 0;
    for (const GateReport& g : t.gates) {
      CHECK(g.size == t.size / 4);
      live += g.live;
    }
    CHECK(live == t.live);
  }
  // Gate k of weight_hh_l0 is rows [6k, 6k + 6): its live count is the mask's over that block.
  const Tensor hh = model->named_parameters()[1].second;  // a handle: the vector is a temporary
  int64_t forget_live = 0;
  for (int64_t i = 36; i < 72; ++i) forget_live += hh.mask()->live(i);
  CHECK(r.tensors[1].gates[1].live == forget_live);
  CHECK(recurrent_gate_names("gru") == std::vector<std::string_view>{"r", "z", "n"});
  CHECK(recurrent_gate_names("rnn").size() == 1);
  CHECK(recurrent_gate_names("patchtst").empty());
}

TEST_CASE("pruner: names of scopes, scores and granularities round-trip, unknown ones list the choices") {
  for (Scope s : {Scope::global, Scope::per_tensor}) CHECK(scope_from_name(scope_name(s)) == s);
  for (ScoreKind k : {ScoreKind::magnitude, ScoreKind::random, ScoreKind::grad_magnitude})
    CHECK(score_from_name(score_name(k)) == k);
  for (const char* g : {"element", "row", "block:4x4", "block:1x8"}) CHECK(Granularity::parse(g).name() == g);
  CHECK_THROWS_WITH_AS(scope_from_name("layer"), doctest::Contains("global or per-tensor"), ValueError);
  CHECK_THROWS_WITH_AS(score_from_name("taylor"), doctest::Contains("magnitude, random or grad-magnitude"), ValueError);
  for (const char* bad : {"column", "block:4", "block:0x4", "block:4x", "block:axb", "block:2x2x2"})
    CHECK_THROWS_WITH_AS(Granularity::parse(bad), doctest::Contains("element, row or block:RxC"), ValueError);
}
