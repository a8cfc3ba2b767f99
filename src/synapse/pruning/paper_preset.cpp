#include "synapse/pruning/paper_preset.hpp"

namespace syn::pruning {

PaperPreset paper_preset(std::string_view model_kind) {
  if (model_kind == "lstm") return {"LSTM.py", 0.7, 1.2, 2, 2};
  if (model_kind == "patchtst" || model_kind == "paper-patchtst") return {"PATCHTST.py", 0.01, 0.5, 5, 5};
  return {"RNN.py", 0.1, 0.5, 2, 5};
}

}  // namespace syn::pruning
