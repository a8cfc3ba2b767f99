#include "synapse/train/model_factory.hpp"

#include <functional>
#include <string_view>
#include <utility>

#include "synapse/core/error.hpp"
#include "synapse/nn/linear_forecaster.hpp"
#include "synapse/nn/paper_patch_transformer.hpp"
#include "synapse/nn/patchtst_forecaster.hpp"
#include "synapse/nn/recurrent_forecaster.hpp"

namespace syn::train {
namespace {

using Builder = std::function<std::shared_ptr<nn::Forecaster>(const nn::ModelConfig&)>;

template <class Model>
Builder builder() {
  return [](const nn::ModelConfig& config) { return std::make_shared<Model>(config); };
}

// Model kinds: the single place where a model class is tied to its ModelConfig::kind.
const std::vector<std::pair<std::string_view, Builder>>& registry() {
  static const std::vector<std::pair<std::string_view, Builder>> kinds = {
      {"linear", builder<nn::LinearForecaster>()},
      {"rnn", builder<nn::RecurrentForecaster>()},
      {"lstm", builder<nn::RecurrentForecaster>()},
      {"gru", builder<nn::RecurrentForecaster>()},
      {"patchtst", builder<nn::PatchTSTForecaster>()},
      {"paper-patchtst", builder<nn::PaperPatchTransformer>()},
  };
  return kinds;
}

}  // namespace

std::shared_ptr<nn::Forecaster> make_forecaster(const nn::ModelConfig& config) {
  config.validate();
  for (const auto& [kind, build] : registry())
    if (kind == config.kind) return build(config);
  std::string supported;
  for (const std::string& kind : available_model_kinds()) supported += (supported.empty() ? "" : ", ") + kind;
  throw ValueError(detail::concat("make_forecaster: model kind '", config.kind,
                                  "' is not available in this build (supported: ", supported, ")"));
}

std::vector<std::string> available_model_kinds() {
  std::vector<std::string> out;
  for (const auto& [kind, _] : registry()) out.emplace_back(kind);
  return out;
}

}  // namespace syn::train
