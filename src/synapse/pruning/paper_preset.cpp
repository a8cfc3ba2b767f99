#include "synapse/pruning/paper_preset.hpp"

namespace syn::pruning {

PaperPreset paper_preset(std::string_view model_kind) {
  if (model_kind == "lstm") return {"LSTM.py", 0.7, 1.2, 2, 2};
  if (model_kind == "patchtst" || model_kind == "paper-patchtst") return {"PATCHTST.py", 0.01, 0.5, 5, 5};
  return {"RNN.py", 0.1, 0.5, 2, 5};
}

Schedule preset_schedule(ScheduleKind kind, std::string_view model_kind, int64_t epochs) {
  const PaperPreset p = paper_preset(model_kind);
  Schedule s;
  s.kind = kind;
  s.initial_sparsity = p.s_min;
  s.final_sparsity = p.s_max;
  s.begin = {p.warmup_epochs, TimeUnit::epochs};
  s.end = {epochs, TimeUnit::epochs};
  s.frequency = p.every_batches;
  return s;
}

}  // namespace syn::pruning
