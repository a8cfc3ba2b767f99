#pragma once
// make_forecaster: the one place that maps ModelConfig::kind to a model class. Everything else
// (trainer, checkpoint, CLI) sees only the nn::Forecaster interface.
#include <memory>
#include <string>
#include <vector>

#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/model_config.hpp"

namespace syn::train {

// Validates the config and builds the model in training mode. ValueError for an invalid config, or a
// kind this build does not provide (listing the kinds it does).
std::shared_ptr<nn::Forecaster> make_forecaster(const nn::ModelConfig& config);

// The kinds make_forecaster builds, in a fixed order.
std::vector<std::string> available_model_kinds();

}  // namespace syn::train
