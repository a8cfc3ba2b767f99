#include "synapse/train/checkpoint.hpp"

#include <map>

#include "synapse/core/error.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/byte_reader.hpp"
#include "synapse/train/byte_writer.hpp"
#include "synapse/train/framed_file.hpp"
#include "synapse/train/model_factory.hpp"
#include "synapse/train/tensor_io.hpp"

namespace syn::train {
namespace {

const FrameKind kCheckpointFrame{{'S', 'Y', 'N', 'C', 'K', 'P', 'T', '\n'}, kCheckpointVersion,
                                 "a synapse checkpoint"};

std::string describe(const std::filesystem::path& path) { return "checkpoint '" + path.string() + "'"; }

void put_strings(ByteWriter& w, const std::vector<std::string>& values) {
  w.put(static_cast<uint32_t>(values.size()));
  for (const std::string& v : values) w.str(v);
}

std::vector<std::string> get_strings(ByteReader& r, const std::string& field) {
  std::vector<std::string> out(r.count(field + " count", sizeof(uint32_t)));
  for (size_t i = 0; i < out.size(); ++i) out[i] = r.str(detail::concat(field, "[", i, "]"));
  return out;
}

// ---- writing ----

void write_data(ByteWriter& w, const DataSettings& d) {
  w.str(d.target);
  put_strings(w, d.features);
  put_strings(w, d.ignore);
  w.put(static_cast<uint32_t>(d.na_values.size()));
  w.array(std::span<const double>(d.na_values));
  put_strings(w, d.na_markers);
  w.str(missing_policy_name(d.missing));
  w.str(d.protocol.name());
  w.put(d.protocol.train);
  w.put(d.protocol.val);
  w.put(d.protocol.test);
  SYN_CHECK_T(ValueError, d.scaler.offset.size() == d.scaler.scale.size(), "checkpoint: scaler offset (",
              d.scaler.offset.size(), ") and scale (", d.scaler.scale.size(), ") sizes differ");
  w.str(forecast::scaler_name(d.scaler.kind));
  w.put(static_cast<uint32_t>(d.scaler.offset.size()));
  w.array(std::span<const double>(d.scaler.offset));
  w.array(std::span<const double>(d.scaler.scale));
  w.str(forecast::transform_name(d.transform));
}

std::vector<char> encode(const Checkpoint& c) {
  ByteWriter payload;
  const std::map<std::string, std::string> config = c.config.to_map();
  payload.put(static_cast<uint32_t>(config.size()));
  for (const auto& [key, value] : config) {
    payload.str(key);
    payload.str(value);
  }
  write_data(payload, c.data);
  payload.put(static_cast<uint32_t>(c.tensors.size()));
  for (const auto& [name, t] : c.tensors) write_tensor(payload, name, t);

  return frame(kCheckpointFrame, payload.bytes());
}

// ---- reading ----

nn::ModelConfig read_config(ByteReader& r, uint32_t version) {
  std::map<std::string, std::string> values;
  const uint32_t n = r.count("config count", 2 * sizeof(uint32_t));
  for (uint32_t i = 0; i < n; ++i) {
    std::string key = r.str(detail::concat("config key ", i));
    std::string value = r.str("config." + key);
    if (!values.emplace(key, std::move(value)).second) r.fail("config." + key, "appears twice");
  }
  if (version < 2 && values["kind"] != "patchtst") values["revin"] = "false";
  try {
    nn::ModelConfig config = nn::ModelConfig::from_map(values);
    config.validate();
    return config;
  } catch (const Error& e) {
    r.fail("config", e.what());
  }
}

DataSettings read_data(ByteReader& r, uint32_t version) {
  DataSettings d;
  d.target = r.str("data.target");
  d.features = get_strings(r, "data.features");
  d.ignore = get_strings(r, "data.ignore");
  d.na_values = r.array<double>(r.count("data.na_values count", sizeof(double)), "data.na_values");
  d.na_markers = get_strings(r, "data.na_markers");
  const std::string missing = r.str("data.missing");
  const std::string protocol = r.str("data.protocol");
  const double train = r.get<double>("data.protocol.train");
  const double val = r.get<double>("data.protocol.val");
  const double test = r.get<double>("data.protocol.test");
  const std::string scaler = r.str("data.scaler.kind");
  const uint32_t cols = r.count("data.scaler columns", 2 * sizeof(double));
  d.scaler.offset = r.array<double>(cols, "data.scaler.offset");
  d.scaler.scale = r.array<double>(cols, "data.scaler.scale");
  const std::string transform = version >= 2 ? r.str("data.transform") : "none";
  try {
    d.missing = missing_policy_from_name(missing);
  } catch (const Error& e) {
    r.fail("data.missing", e.what());
  }
  try {
    d.protocol =
        protocol == "paper" ? forecast::Protocol::paper() : forecast::Protocol::clean(train, val, test);
    SYN_CHECK_T(ValueError, protocol == "paper" || protocol == "clean", "unknown protocol '", protocol, "'");
  } catch (const Error& e) {
    r.fail("data.protocol", e.what());
  }
  try {
    d.scaler.kind = forecast::scaler_from_name(scaler);
    forecast::Scaler check(d.scaler);
  } catch (const Error& e) {
    r.fail("data.scaler", e.what());
  }
  try {
    d.transform = forecast::transform_from_name(transform);
  } catch (const Error& e) {
    r.fail("data.transform", e.what());
  }
  if (static_cast<size_t>(cols) != 1 + d.features.size())
    r.fail("data.scaler", detail::concat(cols, " columns for a target and ", d.features.size(), " features"));
  return d;
}

}  // namespace

Checkpoint parse_checkpoint(std::span<const char> file, const std::string& what) {
  const auto [version, payload] = unframe(kCheckpointFrame, file, what);
  ByteReader r(payload, what);
  Checkpoint c;
  c.config = read_config(r, version);
  c.data = read_data(r, version);
  const uint32_t n = r.count("tensor count", sizeof(uint32_t) * 2 + 1);
  for (uint32_t i = 0; i < n; ++i) c.tensors.push_back(read_tensor(r, i));
  if (r.remaining() != 0)
    r.fail("payload", detail::concat(r.remaining(), " unexpected bytes after the tensors"));
  return c;
}

Checkpoint make_checkpoint(const nn::Forecaster& model, DataSettings data) {
  return {model.config(), std::move(data), model.state_dict()};
}

void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint) {
  write_file_atomically(path, encode(checkpoint));
}

Checkpoint load_checkpoint(const std::filesystem::path& path, std::string_view expected_kind) {
  const std::string what = describe(path);
  const std::vector<char> bytes = read_file_bytes(path, what);
  Checkpoint c = parse_checkpoint(bytes, what);
  SYN_CHECK_T(ValueError, expected_kind.empty() || c.config.kind == expected_kind, what,
              ": field 'config.kind' is '", c.config.kind, "', but a '", expected_kind,
              "' model was asked for");
  return c;
}

std::shared_ptr<nn::Forecaster> restore_model(const Checkpoint& checkpoint, std::string_view source) {
  try {
    std::shared_ptr<nn::Forecaster> model = make_forecaster(checkpoint.config);
    model->load_state_dict(checkpoint.tensors);
    model->eval();
    return model;
  } catch (const Error& e) {
    throw ValueError(detail::concat(source, ": ", e.what()));
  }
}

}  // namespace syn::train
