#pragma once
// Named tensors as plain text: the fixture format that tools/fixtures/fixture_io.py write_fixture
// writes, so weights made by PyTorch (or anything else) can start a synapse training run
// (`synapse train --init-weights FILE`).
//
// Note [Weights text format]
//   # comment lines and blank lines are skipped
//   tensor <name> <rank> <dim0> ... <dim(rank-1)>
//   <numel values, row-major, whitespace separated, over any number of lines>
// Names are dotted state-dict names (rnn.weight_ih_l0, head.bias); each appears once. Values are
// float32 written with 9 significant digits (%.9g), which round-trips every float exactly; nan and
// inf are accepted. Masks are not stored. Every parse error is a ValueError naming the file and line.
#include <filesystem>
#include <string>
#include <string_view>

#include "synapse/nn/module.hpp"

namespace syn::train {

// The tensors of `text` in file order; `source` names it in messages.
nn::NamedTensors parse_weights_text(std::string_view text, const std::string& source);
// The same from a file (ValueError naming it when it cannot be read).
nn::NamedTensors read_weights_text(const std::filesystem::path& path);
// Writes `tensors` (their values, not their masks) in the format above; ValueError naming the file
// when it cannot be written.
void write_weights_text(const std::filesystem::path& path, const nn::NamedTensors& tensors);

// Reads `path` and loads it into `model` with load_state_dict: every parameter and buffer of the
// model must be in the file with its shape, and nothing else. A missing or unexpected name is a
// ValueError, a wrong shape a ShapeError; both name the file.
void load_weights_text(nn::Module& model, const std::filesystem::path& path);

}  // namespace syn::train
