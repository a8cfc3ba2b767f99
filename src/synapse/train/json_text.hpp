#pragma once
// Pieces of hand-written JSON for the training logs (train/ has no JSON library).
#include <string>
#include <string_view>

namespace syn::train {

// The shortest text that reads back to the same double; null for NaN and infinities (JSON has none).
std::string json_number(double v);
// A quoted JSON string with '"', '\\' and control characters escaped.
std::string json_string(std::string_view s);

}  // namespace syn::train
