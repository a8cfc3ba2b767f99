#pragma once
// Protocol: how a series is cut into train/validation/test and where the scaler is fitted.
#include <string>
#include <string_view>

namespace syn::forecast {

enum class ProtocolKind {
  // Chronological train/val/test by fractions (default 0.7/0.1/0.2); scalers fitted on the training
  // part only; early stopping on the validation part. Nothing of the future leaks into training.
  clean,
  // Reproduces the reference study: the scaler is fitted on the whole series (test statistics leak
  // into the inputs), an 80/20 train/test split, and the test part doubles as the early-stopping set
  // (model selection on test data). Its numbers are optimistic; use it only to compare with the study.
  paper,
};

struct Protocol {
  ProtocolKind kind = ProtocolKind::clean;
  double train = 0.7;
  double val = 0.1;  // paper: 0, the test part is the validation set
  double test = 0.2;

  // Fractions must be >= 0 with train and test > 0 and sum to 1 (ValueError otherwise).
  static Protocol clean(double train = 0.7, double val = 0.1, double test = 0.2);
  static Protocol paper();
  // "clean" or "paper"; ValueError naming both for anything else.
  static Protocol from_name(std::string_view name);

  std::string name() const;
  // One human-readable line for the CLI, e.g. "protocol clean: chronological split 70% train / ...".
  std::string describe() const;
  bool scaler_on_whole_series() const { return kind == ProtocolKind::paper; }
  bool early_stopping_on_test() const { return kind == ProtocolKind::paper; }
};

}  // namespace syn::forecast
