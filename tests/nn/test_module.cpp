#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/core/random.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/ops/activation.hpp"

using namespace syn;
using namespace syn::nn;

namespace {
struct Linear : Module {
  Tensor weight, bias;
  Linear(int64_t in, int64_t out) {
    weight = register_parameter("weight", Tensor::zeros(Shape{out, in}));
    bias = register_parameter("bias", Tensor::zeros(Shape{out}));
  }
};
struct Attention : Module {
  Tensor in_proj_weight = register_parameter("in_proj_weight", Tensor::zeros(Shape{6, 2}));
  std::shared_ptr<Linear> out_proj = register_module("out_proj", std::make_shared<Linear>(2, 2));
};
struct Norm : Module {
  Tensor weight = register_parameter("weight", Tensor::ones(Shape{2}));
  Tensor running_mean = register_buffer("running_mean", Tensor::zeros(Shape{2}));
};
struct EncoderLayer : Module {
  std::shared_ptr<Attention> self_attn = register_module("self_attn", std::make_shared<Attention>());
  std::shared_ptr<Norm> norm1 = register_module("norm1", std::make_shared<Norm>());
};
// A forecaster-shaped tree: rnn parameters, encoder.layers.{0,1}, a head.
struct Model : Module {
  std::shared_ptr<Module> rnn = register_module("rnn", std::make_shared<Module>());
  std::shared_ptr<Module> encoder = register_module("encoder", std::make_shared<Module>());
  std::shared_ptr<Module> layers = encoder->register_module("layers", std::make_shared<Module>());
  std::shared_ptr<EncoderLayer> layer0 = layers->register_module("0", std::make_shared<EncoderLayer>());
  std::shared_ptr<EncoderLayer> layer1 = layers->register_module("1", std::make_shared<EncoderLayer>());
  std::shared_ptr<Linear> head = register_module("head", std::make_shared<Linear>(4, 3));
  Model() {
    rnn->register_parameter("weight_ih_l0", Tensor::zeros(Shape{8, 1}));
    rnn->register_parameter("weight_hh_l0", Tensor::zeros(Shape{8, 2}));
  }
};

std::vector<std::string> names(const NamedTensors& named) {
  std::vector<std::string> out;
  for (const auto& [name, _] : named) out.push_back(name);
  return out;
}

void fill_random(Module& m, uint64_t seed) {
  Generator gen(seed);
  for (auto& [_, t] : m.state_dict()) {
    float* p = t.mutable_data();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = gen.normal();
  }
}

Tensor& entry(StateDict& state, const std::string& name) {
  for (auto& [n, t] : state)
    if (n == name) return t;
  throw std::runtime_error("no entry " + name);
}

std::shared_ptr<const Mask> checkerboard(int64_t n) {
  std::vector<uint8_t> live(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) live[static_cast<size_t>(i)] = i % 2;
  return std::make_shared<Mask>(live);
}
}  // namespace

TEST_CASE("module: dotted PyTorch names in registration order") {
  Model m;
  const std::vector<std::string> params = {"rnn.weight_ih_l0",
                                           "rnn.weight_hh_l0",
                                           "encoder.layers.0.self_attn.in_proj_weight",
                                           "encoder.layers.0.self_attn.out_proj.weight",
                                           "encoder.layers.0.self_attn.out_proj.bias",
                                           "encoder.layers.0.norm1.weight",
                                           "encoder.layers.1.self_attn.in_proj_weight",
                                           "encoder.layers.1.self_attn.out_proj.weight",
                                           "encoder.layers.1.self_attn.out_proj.bias",
                                           "encoder.layers.1.norm1.weight",
                                           "head.weight",
                                           "head.bias"};
  CHECK(names(m.named_parameters()) == params);
  CHECK(names(m.named_buffers()) == std::vector<std::string>{"encoder.layers.0.norm1.running_mean",
                                                             "encoder.layers.1.norm1.running_mean"});
  // The state dict adds each module's buffers after its own parameters, as torch does.
  const auto state = names(m.state_dict());
  CHECK(state.size() == params.size() + 2);
  CHECK(state[6] == "encoder.layers.0.norm1.running_mean");
  CHECK(state.back() == "head.bias");
  CHECK(m.num_parameters() == 8 + 16 + 2 * (12 + 4 + 2 + 2) + 12 + 3);
  CHECK(m.named_children().size() == 3);
}

TEST_CASE("module: parameters are the registered tensors and require grad") {
  Model m;
  const auto params = m.parameters();
  CHECK(params[10].same(m.head->weight));
  CHECK(params[11].same(m.head->bias));
  for (const Tensor& p : params) CHECK(p.requires_grad());
  CHECK(!m.layer0->norm1->running_mean.requires_grad());
}

TEST_CASE("module: train and eval propagate to every descendant") {
  Model m;
  CHECK(m.is_training());
  m.eval();
  CHECK(!m.is_training());
  CHECK(!m.layer1->self_attn->out_proj->is_training());
  CHECK(!m.rnn->is_training());
  m.layers->train();
  CHECK(!m.is_training());
  CHECK(m.layer0->norm1->is_training());
  m.train();
  CHECK(m.head->is_training());
}

TEST_CASE("module: registration rejects bad and repeated names, non-leaves and undefined tensors") {
  Module m;
  m.register_parameter("w", Tensor::zeros(Shape{2}));
  CHECK_THROWS_WITH_AS(m.register_parameter("w", Tensor::zeros(Shape{2})),
                       doctest::Contains("name 'w' is already registered"), ValueError);
  CHECK_THROWS_AS(m.register_buffer("w", Tensor::zeros(Shape{2})), ValueError);
  CHECK_THROWS_AS(m.register_module("w", std::make_shared<Module>()), ValueError);
  CHECK_THROWS_WITH_AS(m.register_parameter("a.b", Tensor::zeros(Shape{2})), doctest::Contains("no '.'"),
                       ValueError);
  CHECK_THROWS_AS(m.register_buffer("", Tensor::zeros(Shape{2})), ValueError);
  CHECK_THROWS_AS(m.register_parameter("u", Tensor()), ValueError);
  CHECK_THROWS_AS(m.register_module("c", std::shared_ptr<Module>()), ValueError);
  Tensor leaf = Tensor::ones(Shape{2}).set_requires_grad();
  CHECK_THROWS_WITH_AS(m.register_parameter("r", relu(leaf)), doctest::Contains("'r' is not a leaf"),
                       ValueError);
}

TEST_CASE("module: state_dict round trip copies values in place") {
  Model a, b;
  fill_random(a, 1);
  fill_random(b, 2);
  Tensor b_head = b.head->weight;
  const uint64_t version = b_head.version();
  b.load_state_dict(a.state_dict());
  const auto sa = a.state_dict(), sb = b.state_dict();
  for (size_t i = 0; i < sa.size(); ++i) {
    CAPTURE(sa[i].first);
    CHECK(sa[i].second.to_vector() == sb[i].second.to_vector());
    CHECK(sa[i].second.data() != sb[i].second.data());
  }
  CHECK(b.head->weight.same(b_head));  // the registered handle was written, not replaced
  CHECK(b_head.version() > version);
  CHECK(b.layer1->norm1->running_mean.to_vector() == a.layer1->norm1->running_mean.to_vector());
}

TEST_CASE("module: state_dict shares storage (clone for a snapshot)") {
  Model m;
  const StateDict live = m.state_dict();
  m.head->bias.fill_(3.f);
  CHECK(live.back().second.to_vector() == std::vector<float>(3, 3.f));
  CHECK(!live.back().second.requires_grad());
}

TEST_CASE("module: masks travel with their tensors through the state dict") {
  Model a, b;
  fill_random(a, 3);
  fill_random(b, 4);
  a.head->weight.set_mask(checkerboard(12));
  StateDict state = a.state_dict();
  CHECK(entry(state, "head.weight").mask() == a.head->weight.mask());
  b.load_state_dict(state);
  CHECK(b.head->weight.mask() == a.head->weight.mask());
  for (int64_t i = 0; i < 12; i += 2) CHECK(b.head->weight.data()[i] == 0.f);
  // Loading an unmasked state removes the mask.
  Model dense;
  b.load_state_dict(dense.state_dict());
  CHECK(b.head->weight.mask() == nullptr);
}

TEST_CASE(
    "module: load_state_dict names missing and unexpected keys and mismatched shapes, writing nothing") {
  Model a, b;
  fill_random(a, 5);
  fill_random(b, 6);
  const auto before = b.head->weight.to_vector();

  StateDict missing = a.state_dict();
  missing.pop_back();  // head.bias
  CHECK_THROWS_WITH_AS(b.load_state_dict(missing), "load_state_dict: missing keys 'head.bias'", ValueError);

  StateDict extra = a.state_dict();
  extra.emplace_back("head.scale", Tensor::ones(Shape{1}));
  CHECK_THROWS_WITH_AS(b.load_state_dict(extra), "load_state_dict: unexpected keys 'head.scale'", ValueError);

  missing.emplace_back("rnn.weight_ih", Tensor::ones(Shape{1}));
  CHECK_THROWS_WITH_AS(b.load_state_dict(missing),
                       "load_state_dict: missing keys 'head.bias'; unexpected keys 'rnn.weight_ih'",
                       ValueError);

  StateDict shapes = a.state_dict();
  entry(shapes, "head.weight") = Tensor::zeros(Shape{4, 3});
  // A correct entry before the bad one is not written either.
  entry(shapes, "encoder.layers.1.norm1.weight") = Tensor::zeros(Shape{2});
  CHECK_THROWS_WITH_AS(
      b.load_state_dict(shapes),
      "load_state_dict: shape mismatch for 'head.weight': the module has (3, 4), the state dict (4, 3)",
      ShapeError);

  StateDict twice = a.state_dict();
  twice.push_back(twice.front());
  CHECK_THROWS_WITH_AS(b.load_state_dict(twice), doctest::Contains("duplicate key 'rnn.weight_ih_l0'"),
                       ValueError);

  CHECK(b.head->weight.to_vector() == before);
  CHECK(b.layer1->norm1->weight.to_vector() != std::vector<float>(2, 0.f));
}

TEST_CASE("module: zero_grad drops every parameter's gradient") {
  Model m;
  for (Tensor& p : m.parameters()) p.set_grad(Tensor::ones(p.shape()));
  m.zero_grad();
  for (const Tensor& p : m.parameters()) CHECK(!p.grad().defined());
}

TEST_CASE("module: random streams have dotted names, depth first, and repeated names are refused") {
  struct Dropping : Module {
    Generator gen{1};
    Dropping() { register_random_stream("dropout", gen); }
  };
  struct Outer : Module {
    Generator own{2};
    std::shared_ptr<Dropping> a = register_module("a", std::make_shared<Dropping>());
    std::shared_ptr<Module> b = register_module("b", std::make_shared<Module>());
    std::shared_ptr<Dropping> c = b->register_module("c", std::make_shared<Dropping>());
    Outer() { register_random_stream("masks", own); }
  } outer;
  const auto streams = outer.named_random_streams();
  REQUIRE(streams.size() == 3);
  CHECK(streams[0].first == "masks");
  CHECK(streams[0].second == &outer.own);
  CHECK(streams[1].first == "a.dropout");
  CHECK(streams[1].second == &outer.a->gen);
  CHECK(streams[2].first == "b.c.dropout");
  CHECK_THROWS_AS(outer.register_random_stream("masks", outer.own), ValueError);
  CHECK_THROWS_AS(outer.register_random_stream("x.y", outer.own), ValueError);
}
