#include "synapse/train/trainer_options.hpp"

#include <cmath>

#include "synapse/core/error.hpp"

namespace syn::train {

EarlyStopping EarlyStopping::for_protocol(const forecast::Protocol& protocol, int64_t patience) {
  if (protocol.early_stopping_on_test())
    return {StopRule::consecutive_rises, patience > 0 ? patience : 3, false};
  return {StopRule::no_improvement, patience > 0 ? patience : 5, true};
}

EarlyStopping EarlyStopping::off() {
  EarlyStopping es;
  es.restore_best = false;
  es.enabled = false;
  return es;
}

void TrainerOptions::validate() const {
  SYN_CHECK_T(ValueError, epochs > 0, "trainer: epochs must be > 0, got ", epochs);
  SYN_CHECK_T(ValueError, batch_size > 0, "trainer: batch size must be > 0, got ", batch_size);
  SYN_CHECK_T(ValueError, lr > 0 && std::isfinite(lr), "trainer: learning rate must be > 0, got ", lr);
  SYN_CHECK_T(ValueError, weight_decay >= 0, "trainer: weight decay must be >= 0, got ", weight_decay);
  SYN_CHECK_T(ValueError, momentum >= 0, "trainer: momentum must be >= 0, got ", momentum);
  SYN_CHECK_T(ValueError, clip_norm >= 0, "trainer: gradient clip norm must be >= 0, got ", clip_norm);
  SYN_CHECK_T(ValueError, early_stopping.patience > 0, "trainer: patience must be > 0, got ",
              early_stopping.patience);
  SYN_CHECK_T(ValueError, checkpoint_every >= 0, "trainer: checkpoint_every must be >= 0, got ",
              checkpoint_every);
  SYN_CHECK_T(ValueError, checkpoint_every == 0 || !checkpoint_path.empty(),
              "trainer: checkpoint_every is set but checkpoint_path is empty");
}

std::string_view loss_name(LossKind kind) { return kind == LossKind::mae ? "mae" : "mse"; }

LossKind loss_from_name(std::string_view name) {
  if (name == "mse") return LossKind::mse;
  if (name == "mae" || name == "l1") return LossKind::mae;
  throw ValueError(detail::concat("trainer: unknown loss '", name, "' (expected mse or mae)"));
}

std::string_view optimizer_name(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::adamw:
      return "adamw";
    case OptimizerKind::sgd:
      return "sgd";
    case OptimizerKind::adam:
      break;
  }
  return "adam";
}

OptimizerKind optimizer_from_name(std::string_view name) {
  if (name == "adam") return OptimizerKind::adam;
  if (name == "adamw") return OptimizerKind::adamw;
  if (name == "sgd") return OptimizerKind::sgd;
  throw ValueError(detail::concat("trainer: unknown optimizer '", name, "' (expected adam, adamw or sgd)"));
}

}  // namespace syn::train
