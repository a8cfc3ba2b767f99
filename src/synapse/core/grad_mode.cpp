#include "synapse/core/grad_mode.hpp"

namespace syn {
namespace {
thread_local bool t_grad_enabled = true;
thread_local bool t_inference = false;
}  // namespace

bool grad_enabled() { return t_grad_enabled; }
bool inference_mode() { return t_inference; }

NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

InferenceMode::InferenceMode() : previous_(t_inference) { t_inference = true; }
InferenceMode::~InferenceMode() { t_inference = previous_; }

}  // namespace syn
