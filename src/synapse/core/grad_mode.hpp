#pragma once
// Grad modes: thread-local switches for recording on the tape.
// NoGradGuard: ops run but record nothing (optimizer steps, evaluation).
// InferenceMode: the same, and says so to code that may take faster paths for pure prediction.
namespace syn {

bool grad_enabled();
bool inference_mode();

class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

class InferenceMode {
 public:
  InferenceMode();
  ~InferenceMode();
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;

 private:
  NoGradGuard no_grad_;
  bool previous_;
};

}  // namespace syn
