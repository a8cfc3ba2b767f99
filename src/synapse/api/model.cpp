// syn::Model: the public API's forecaster (Note [Model thread safety] in synapse/synapse.hpp).
#include <cmath>
#include <utility>

#include "synapse/core/grad_mode.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/synapse.hpp"
#include "synapse/train/checkpoint.hpp"

namespace syn {

const char* version() { return SYN_VERSION_STRING; }

struct Model::State {
  std::string source;
  nn::ModelConfig config;
  std::vector<std::string> features;
  ScalerInfo scaler;
  double sparsity = 0;
  std::shared_ptr<nn::Forecaster> network;  // in eval mode; forward only reads it
};

namespace {

double masked_sparsity(const nn::StateDict& tensors) {
  int64_t numel = 0, live = 0;
  for (const auto& [name, t] : tensors)
    if (const auto& mask = t.mask()) {
      numel += mask->numel();
      live += mask->nnz();
    }
  return numel ? 1.0 - static_cast<double>(live) / static_cast<double>(numel) : 0.0;
}

}  // namespace

Model::Model(std::shared_ptr<const State> state) : state_(std::move(state)) {}

Model Model::load(const std::string& path) {
  const train::Checkpoint c = train::load_checkpoint(path);
  auto s = std::make_shared<State>();
  s->source = path;
  s->config = c.config;
  s->features.push_back(c.data.target);
  s->features.insert(s->features.end(), c.data.features.begin(), c.data.features.end());
  s->scaler = {std::string(forecast::scaler_name(c.data.scaler.kind)), c.data.scaler.offset, c.data.scaler.scale};
  SYN_CHECK_T(ValueError, static_cast<int64_t>(s->features.size()) == c.config.input_size &&
                              s->scaler.offset.size() == s->features.size(),
              path, ": the checkpoint's data settings name ", s->features.size(), " input columns and its scaler has ",
              s->scaler.offset.size(), ", but the model takes ", c.config.input_size);
  s->sparsity = masked_sparsity(c.tensors);
  s->network = train::restore_model(c, path);
  s->network->eval();
  return Model(std::move(s));
}

const std::string& Model::kind() const { return state_->config.kind; }
int64_t Model::lookback() const { return state_->config.lookback; }
int64_t Model::horizon() const { return state_->config.horizon; }
const std::vector<std::string>& Model::feature_names() const { return state_->features; }
int64_t Model::num_features() const { return state_->config.input_size; }
const ScalerInfo& Model::scaler() const { return state_->scaler; }
double Model::sparsity() const { return state_->sparsity; }

std::vector<double> Model::predict(std::span<const double> window) const {
  const int64_t expected = lookback() * num_features();
  SYN_CHECK_T(ShapeError, static_cast<int64_t>(window.size()) == expected, "predict: the window has ",
              window.size(), " values, expected lookback × features = ", lookback(), " × ", num_features(), " = ",
              expected);
  return predict_batch(window);
}

std::vector<double> Model::predict_batch(std::span<const double> windows) const {
  const State& s = *state_;
  const int64_t lookback = s.config.lookback, cols = s.config.input_size, horizon = s.config.horizon;
  const int64_t per_window = lookback * cols;
  SYN_CHECK_T(ShapeError, !windows.empty() && static_cast<int64_t>(windows.size()) % per_window == 0,
              "predict_batch: ", windows.size(), " values is not a whole number of windows of lookback × features = ",
              lookback, " × ", cols, " = ", per_window);
  const int64_t count = static_cast<int64_t>(windows.size()) / per_window;
  std::vector<float> scaled(windows.size());
  for (size_t i = 0; i < windows.size(); ++i) {
    const auto col = static_cast<size_t>(static_cast<int64_t>(i) % cols);
    SYN_CHECK_T(ValueError, std::isfinite(windows[i]), "predict: window ", static_cast<int64_t>(i) / per_window,
                ", row ", static_cast<int64_t>(i) % per_window / cols, ", column '", s.features[col],
                "' is not a finite number");
    scaled[i] = static_cast<float>((windows[i] - s.scaler.offset[col]) / s.scaler.scale[col]);
  }
  Tensor y;
  {
    InferenceMode inference;
    y = s.network->forward(Tensor::from(scaled, Shape{count, lookback, cols}));
  }
  std::vector<double> out(static_cast<size_t>(count * horizon));
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<double>(y.data()[i]) * s.scaler.scale[0] + s.scaler.offset[0];
  return out;
}

}  // namespace syn
