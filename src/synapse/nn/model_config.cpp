#include "synapse/nn/model_config.hpp"

#include <charconv>
#include <functional>
#include <vector>

#include "synapse/core/error.hpp"

namespace syn::nn {
namespace {

// One entry per field: its key and how to read and write it. Keeps to_map/from_map in step.
struct Field {
  const char* key;
  std::function<std::string(const ModelConfig&)> get;
  std::function<void(ModelConfig&, const std::string&)> set;
};

template <class T>
T parse_number(const std::string& key, const std::string& text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  SYN_CHECK_T(ValueError, ec == std::errc() && ptr == end && !text.empty(), "model config: '", key,
              "' expects a number, got '", text, "'");
  return value;
}

bool parse_bool(const std::string& key, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw ValueError("model config: '" + key + "' expects true or false, got '" + text + "'");
}

// The shortest text that reads back to the same value (std::to_string would round floats to 6 digits).
template <class T>
std::string format_number(T value) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

template <class T>
Field number(const char* key, T ModelConfig::*member) {
  return {key, [member](const ModelConfig& c) { return format_number(c.*member); },
          [key, member](ModelConfig& c, const std::string& v) { c.*member = parse_number<T>(key, v); }};
}
Field text(const char* key, std::string ModelConfig::*member) {
  return {key, [member](const ModelConfig& c) { return c.*member; },
          [member](ModelConfig& c, const std::string& v) { c.*member = v; }};
}
// revin: written resolved, read as set.
Field revin_flag() {
  return {"revin", [](const ModelConfig& c) { return std::string(c.uses_revin() ? "true" : "false"); },
          [](ModelConfig& c, const std::string& v) { c.revin = parse_bool("revin", v); }};
}

const std::vector<Field>& fields() {
  static const std::vector<Field> all = {
      text("kind", &ModelConfig::kind),
      number("input_size", &ModelConfig::input_size),
      number("lookback", &ModelConfig::lookback),
      number("horizon", &ModelConfig::horizon),
      number("seed", &ModelConfig::seed),
      text("reg", &ModelConfig::reg),
      number("dropout", &ModelConfig::dropout),
      number("mc_samples", &ModelConfig::mc_samples),
      number("hidden_size", &ModelConfig::hidden_size),
      number("num_layers", &ModelConfig::num_layers),
      text("nonlinearity", &ModelConfig::nonlinearity),
      number("patch_len", &ModelConfig::patch_len),
      number("stride", &ModelConfig::stride),
      number("d_model", &ModelConfig::d_model),
      number("n_heads", &ModelConfig::n_heads),
      number("n_layers", &ModelConfig::n_layers),
      number("d_ff", &ModelConfig::d_ff),
      text("norm", &ModelConfig::norm),
      text("activation", &ModelConfig::activation),
      revin_flag(),
  };
  return all;
}

void check_one_of(const char* key, const std::string& value, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  throw ValueError(std::string("model config: '") + key + "' is '" + value + "', expected one of " + list);
}

void check_positive(const char* key, int64_t value) {
  SYN_CHECK_T(ValueError, value > 0, "model config: '", key, "' must be > 0, got ", value);
}

}  // namespace

bool ModelConfig::applies(std::string_view key) const {
  const bool recurrent = kind == "rnn" || kind == "lstm" || kind == "gru";
  if (key == "hidden_size" || key == "num_layers") return recurrent;
  if (key == "nonlinearity") return kind == "rnn";
  for (const char* k : {"patch_len", "stride", "d_model", "n_heads", "n_layers", "d_ff", "norm", "activation"})
    if (key == k) return kind == "patchtst";
  if (key == "dropout") return reg != "none" && reg != "pruning";
  if (key == "mc_samples") return reg == "mc-dropout";
  return true;
}

std::map<std::string, std::string> ModelConfig::to_map() const {
  std::map<std::string, std::string> out;
  for (const Field& f : fields()) out[f.key] = f.get(*this);
  return out;
}

ModelConfig ModelConfig::from_map(const std::map<std::string, std::string>& values) {
  ModelConfig config;
  for (const auto& [key, value] : values) {
    bool known = false;
    for (const Field& f : fields()) {
      if (key == f.key) {
        f.set(config, value);
        known = true;
      }
    }
    SYN_CHECK_T(ValueError, known, "model config: unknown key '", key, "'");
  }
  return config;
}

void ModelConfig::validate() const {
  check_one_of("kind", kind, {"rnn", "lstm", "gru", "patchtst", "paper-patchtst", "linear"});
  check_one_of("reg", reg, {"none", "dropout", "mc-dropout", "pruning", "pruning+dropout"});
  check_one_of("nonlinearity", nonlinearity, {"tanh", "relu"});
  check_one_of("norm", norm, {"batch", "layer"});
  check_one_of("activation", activation, {"gelu", "relu"});
  check_positive("input_size", input_size);
  check_positive("lookback", lookback);
  check_positive("horizon", horizon);
  check_positive("hidden_size", hidden_size);
  check_positive("num_layers", num_layers);
  check_positive("mc_samples", mc_samples);
  check_positive("patch_len", patch_len);
  check_positive("stride", stride);
  check_positive("d_model", d_model);
  check_positive("n_heads", n_heads);
  check_positive("n_layers", n_layers);
  check_positive("d_ff", d_ff);
  SYN_CHECK_T(ValueError, dropout >= 0.f && dropout < 1.f, "model config: 'dropout' must be in [0, 1), got ",
              dropout);
  SYN_CHECK_T(ValueError, d_model % n_heads == 0, "model config: 'd_model' (", d_model,
              ") must be divisible by 'n_heads' (", n_heads, ")");
}

}  // namespace syn::nn
