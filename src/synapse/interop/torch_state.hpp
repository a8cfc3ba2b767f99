#pragma once
// PyTorch state dicts as safetensors files: a synapse module's parameters and buffers under their
// PyTorch names (nn::Module::state_dict uses torch's names for Linear, RNN, LSTM, GRU,
// MultiheadAttention, LayerNorm, BatchNorm1d, TransformerEncoderLayer and the forecasters), with masks.
//
// Note [Masks in safetensors]
// Export writes every tensor as F32 under its state-dict name, and for a tensor with a mask also
// `<name>_mask` (F32, 1 live / 0 dead, the tensor's shape), the buffer torch.nn.utils.prune adds.
// BatchNorm1d's num_batches_tracked is written as I64 (torch's dtype) so that torch loads the file
// with strict=True. Import accepts, for every tensor `<name>` the module has:
//   `<name>` alone                         -> no mask
//   `<name>` and `<name>_mask`             -> masked (our export)
//   `<name>_orig` and `<name>_mask`        -> masked, values orig × mask (what torch.nn.utils.prune
//                                             leaves in a pruned module's state dict)
// Masks hold only 0 and 1. num_batches_tracked may be I64 or F32; everything else must be F32.
// Every failure names the file and the tensor: a tensor the module lacks (ValueError, "unexpected"),
// one it needs and the file lacks (ValueError, "missing"), a wrong dtype (ValueError), a wrong shape
// (ShapeError, both shapes), a mask value other than 0 or 1 (ValueError). Nothing is written into the
// module unless every tensor passed.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "synapse/interop/safetensors.hpp"
#include "synapse/nn/module.hpp"

namespace syn::interop {

// The module's state dict as a safetensors file with `metadata` (Note [Masks in safetensors]).
SafetensorsFile to_safetensors(const nn::StateDict& state, std::map<std::string, std::string> metadata = {});

// The tensors of `file` under the names of `module`'s state dict, with masks, checked against it
// (Note [Masks in safetensors]); `source` names the file in messages.
nn::StateDict state_dict_from_safetensors(const nn::Module& module, const SafetensorsFile& file,
                                          std::string_view source);

// read_safetensors + state_dict_from_safetensors + module.load_state_dict.
void load_safetensors(nn::Module& module, const std::filesystem::path& path);

}  // namespace syn::interop
