// libFuzzer target: the safetensors reader (interop::parse_safetensors) and the import of its tensors
// into a model (state_dict_from_safetensors, as `synapse import` does) for the LSTM of the
// torch-pruned fixture. A file that parses must also survive serialize_safetensors and parse back to
// the same tensors and metadata. A ValueError or a ShapeError (the import's documented errors) is an
// accepted outcome; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "synapse/core/error.hpp"
#include "synapse/interop/safetensors.hpp"
#include "synapse/interop/torch_state.hpp"
#include "synapse/train/model_factory.hpp"

namespace {

// The model of tests/fixtures/safetensors/lstm_pruned.safetensors (a seed of the corpus).
const syn::nn::Forecaster& pruned_lstm() {
  static const std::shared_ptr<syn::nn::Forecaster> model = [] {
    syn::nn::ModelConfig c;
    c.kind = "lstm";
    c.input_size = 2;
    c.lookback = 12;
    c.horizon = 3;
    c.hidden_size = 8;
    return syn::train::make_forecaster(c);
  }();
  return *model;
}

bool same(const syn::interop::SafetensorsFile& a, const syn::interop::SafetensorsFile& b) {
  if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const auto &x = a.tensors[i], &y = b.tensors[i];
    if (x.name != y.name || x.dtype != y.dtype || x.shape != y.shape || x.data != y.data) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace syn::interop;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  SafetensorsFile file;
  try {
    file = parse_safetensors(bytes, "fuzz.safetensors");
  } catch (const syn::ValueError&) {
    return 0;
  }
  if (!same(file, parse_safetensors(serialize_safetensors(file), "serialized"))) std::abort();
  try {
    state_dict_from_safetensors(pruned_lstm(), file, "fuzz.safetensors");
  } catch (const syn::ValueError&) {
  } catch (const syn::ShapeError&) {
  }
  return 0;
}
