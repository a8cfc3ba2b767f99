#pragma once
// Checkpoint: a trained forecaster in one versioned, checksummed binary file (Note [Checkpoint
// format]): the model config, the data settings needed to predict, and every named tensor with its
// mask.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "synapse/nn/forecaster.hpp"
#include "synapse/nn/model_config.hpp"
#include "synapse/nn/module.hpp"
#include "synapse/train/data_settings.hpp"

namespace syn::train {

// Note [Checkpoint format]
// A framed file (Note [Framed files]) with magic "SYNCKPT\n"; str = u32 length + bytes.
//   payload  config: u32 n, n × (str key, str value)            ModelConfig::to_map
//            data:   str target, u32 n + n × str features, u32 n + n × str ignore,
//                    u32 n + n × f64 na_values, u32 n + n × str na_markers, str missing policy,
//                    str protocol, f64 train, f64 val, f64 test,
//                    str scaler kind, u32 cols, cols × f64 offset, cols × f64 scale,
//                    str transform (version 2 on; none before)
//            tensors: u32 n, n × tensor (tensor_io.hpp)
// Loading checks the frame (a version newer than kCheckpointVersion is refused), then every field while
// parsing (counts against the bytes left, known keys, shapes, mask nnz against its bits, no bytes left
// over). Every failure is a ValueError naming the file and the field.
// Version 1 files (no transform; RevIN only inside PatchTST) are read as transform none and, for the
// other kinds, revin=false, which is what they were trained with.
inline constexpr uint32_t kCheckpointVersion = 2;

struct Checkpoint {
  nn::ModelConfig config;
  DataSettings data;
  nn::StateDict tensors;  // parameters and buffers by dotted name, with masks
};

// The model's config and state_dict (shared with the model, not copied) with `data`.
Checkpoint make_checkpoint(const nn::Forecaster& model, DataSettings data);

// Writes atomically (Note [Atomic replace]): a failure leaves no partial file and the old one intact.
void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint);

// Reads and checks the file (Note [Checkpoint format]). With a non-empty expected_kind, a checkpoint
// of another model kind is refused (ValueError naming the file, the field config.kind and both kinds).
Checkpoint load_checkpoint(const std::filesystem::path& path, std::string_view expected_kind = {});

// The same from the file's bytes; `what` prefixes messages ("checkpoint 'm.syn'").
Checkpoint parse_checkpoint(std::span<const char> file, const std::string& what);

// Builds the model its config describes (make_forecaster) and loads its tensors and masks. `source`
// (the file) prefixes errors, e.g. a tensor the model does not have.
std::shared_ptr<nn::Forecaster> restore_model(const Checkpoint& checkpoint, std::string_view source);

}  // namespace syn::train
