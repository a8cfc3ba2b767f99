// The tape: iterative backward, clearing, retain_graph, saved-tensor versions, grad modes.
#include <doctest/doctest.h>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/core/tape.hpp"
#include "synapse/ops/activation.hpp"

using namespace syn;

TEST_CASE("autograd: a 100,000-node chain runs backward and is destroyed without stack overflow") {
  Tensor x = Tensor::from({0.5f, -0.25f}, Shape{2}).set_requires_grad();
  Tensor y = x;
  for (int i = 0; i < 100000; ++i) y = relu(y);
  CHECK(Tape::current().size() == 100000);
  y.backward(Tensor::ones(Shape{2}));
  CHECK(Tape::current().empty());
  CHECK(x.grad().to_vector() == std::vector<float>{1.f, 0.f});
  // And a chain that is never backpropagated is freed when the tape is cleared.
  Tensor z = x;
  for (int i = 0; i < 100000; ++i) z = tanh(z);
  CHECK(Tape::current().size() == 100000);
  Tape::current().clear();
  CHECK(Tape::current().empty());
}

TEST_CASE("autograd: a second backward without retain_graph fails with a clear message") {
  Tensor x = Tensor::from({0.3f}, Shape{1}).set_requires_grad();
  Tensor y = tanh(x);
  y.backward();
  CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("already been freed"), AutogradError);
}

TEST_CASE("autograd: retain_graph allows a second backward, gradients accumulate") {
  Tensor x = Tensor::from({0.3f}, Shape{1}).set_requires_grad();
  Tensor y = sigmoid(x);
  y.backward(Tensor(), /*retain_graph=*/true);
  const float g1 = x.grad().item();
  CHECK(!Tape::current().empty());
  y.backward();
  CHECK(x.grad().item() == doctest::Approx(2 * g1));
  CHECK(Tape::current().empty());
}

TEST_CASE("autograd: modifying a saved tensor in place before backward is detected and named") {
  Tensor x = Tensor::from({0.3f, 0.7f}, Shape{2}).set_requires_grad();
  Tensor y = tanh(x);  // saves its output y
  Tensor z = relu(y);  // saves its input y
  y.mutable_data()[0] = 1.f;
  CHECK_THROWS_WITH_AS(z.backward(Tensor::ones(Shape{2})), doctest::Contains("ReluBackward"),
                       AutogradError);
  Tape::current().clear();
}

TEST_CASE("autograd: a non-scalar output needs a seed of its own shape") {
  Tensor x = Tensor::zeros(Shape{3}).set_requires_grad();
  Tensor y = relu(x);
  CHECK_THROWS_WITH_AS(y.backward(), doctest::Contains("not a scalar"), AutogradError);
  CHECK_THROWS_AS(y.backward(Tensor::ones(Shape{2})), ShapeError);
  Tape::current().clear();
}

TEST_CASE("autograd: no-grad and inference modes record nothing") {
  Tensor x = Tensor::zeros(Shape{3}).set_requires_grad();
  {
    NoGradGuard guard;
    Tensor y = relu(x);
    CHECK(!y.requires_grad());
  }
  {
    InferenceMode guard;
    CHECK(inference_mode());
    CHECK(!grad_enabled());
    CHECK(!tanh(x).requires_grad());
  }
  CHECK(grad_enabled());
  CHECK(Tape::current().empty());
  CHECK_THROWS_AS(relu(Tensor::zeros(Shape{1})).backward(), AutogradError);  // nothing requires grad
}

TEST_CASE("autograd: using a tensor from a freed graph asks for detach") {
  Tensor x = Tensor::from({0.3f}, Shape{1}).set_requires_grad();
  Tensor h = tanh(x);
  tanh(h).backward();
  CHECK_THROWS_WITH_AS(tanh(h), doctest::Contains("detach()"), AutogradError);
  CHECK_NOTHROW(tanh(h.detach()));
}
