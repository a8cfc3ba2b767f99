#include "synapse/train/checkpoint.hpp"

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/byte_reader.hpp"
#include "synapse/train/byte_writer.hpp"
#include "synapse/train/crc32.hpp"
#include "synapse/train/model_factory.hpp"

namespace syn::train {
namespace {

constexpr char kMagic[8] = {'S', 'Y', 'N', 'C', 'K', 'P', 'T', '\n'};
constexpr size_t kHeaderBytes = sizeof kMagic + sizeof(uint32_t) + sizeof(uint64_t);
constexpr size_t kTrailerBytes = sizeof(uint32_t);
constexpr uint32_t kMaxRank = 8;

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

void write_tensor(ByteWriter& w, const std::string& name, const Tensor& t) {
  SYN_CHECK_T(ValueError, t.defined(), "checkpoint: tensor '", name, "' is undefined");
  w.str(name);
  w.put(static_cast<uint32_t>(t.rank()));
  for (int64_t d : t.shape().dims()) w.put(d);
  w.array(std::span<const float>(t.data(), static_cast<size_t>(t.numel())));
  const auto& mask = t.mask();
  w.put(static_cast<uint8_t>(mask ? 1 : 0));
  if (!mask) return;
  w.put(mask->nnz());
  std::vector<uint64_t> words(static_cast<size_t>((t.numel() + 63) / 64), 0);
  for (int64_t i = 0; i < t.numel(); ++i)
    if (mask->live(i)) words[static_cast<size_t>(i >> 6)] |= uint64_t{1} << (i & 63);
  w.array(std::span<const uint64_t>(words));
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

  ByteWriter file;
  file.raw(kMagic, sizeof kMagic);
  file.put(kCheckpointVersion);
  file.put(static_cast<uint64_t>(payload.bytes().size()));
  file.raw(payload.bytes().data(), payload.bytes().size());
  file.put(crc32(payload.bytes()));
  return std::move(file.bytes());
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

std::shared_ptr<const Mask> read_mask(ByteReader& r, const std::string& name, const Tensor& t) {
  const int64_t nnz = r.get<int64_t>("tensor " + name + " mask nnz");
  const std::vector<uint64_t> words =
      r.array<uint64_t>(static_cast<size_t>((t.numel() + 63) / 64), "tensor " + name + " mask bits");
  std::vector<uint8_t> live(static_cast<size_t>(t.numel()));
  int64_t count = 0;
  for (size_t w = 0; w < words.size(); ++w) count += std::popcount(words[w]);
  for (size_t i = 0; i < live.size(); ++i) live[i] = (words[i >> 6] >> (i & 63)) & 1u;
  int64_t live_count = 0;
  for (uint8_t l : live) live_count += l;
  if (count != live_count) r.fail("tensor " + name + " mask", "bits are set beyond the end of the tensor");
  if (live_count != nnz)
    r.fail("tensor " + name + " mask",
           detail::concat("nnz ", nnz, " does not match its ", count, " live bits"));
  const float* p = t.data();
  for (size_t i = 0; i < live.size(); ++i)
    if (!live[i] && p[i] != 0.f)
      r.fail("tensor " + name + " mask", detail::concat("dead entry ", i, " holds ", p[i], " instead of 0"));
  return std::make_shared<Mask>(live);
}

std::pair<std::string, Tensor> read_tensor(ByteReader& r, uint32_t index) {
  std::string name = r.str(detail::concat("tensor ", index, " name"), 4096);
  const uint32_t rank = r.get<uint32_t>("tensor " + name + " rank");
  if (rank > kMaxRank) r.fail("tensor " + name + " rank", detail::concat(rank, " is more than ", kMaxRank));
  std::vector<int64_t> dims(rank);
  int64_t numel = 1;
  for (uint32_t a = 0; a < rank; ++a) {
    dims[a] = r.get<int64_t>(detail::concat("tensor ", name, " dim ", a));
    if (dims[a] < 0 || (dims[a] > 0 && numel > static_cast<int64_t>(r.remaining() / sizeof(float)) / dims[a]))
      r.fail(detail::concat("tensor ", name, " dim ", a),
             detail::concat(dims[a], " does not fit in the file"));
    numel *= dims[a];
  }
  Tensor t = Tensor::empty(Shape(dims));
  const std::vector<float> values = r.array<float>(static_cast<size_t>(numel), "tensor " + name + " values");
  if (numel) std::memcpy(t.mutable_data(), values.data(), values.size() * sizeof(float));
  const uint8_t has_mask = r.get<uint8_t>("tensor " + name + " has_mask");
  if (has_mask > 1)
    r.fail("tensor " + name + " has_mask", detail::concat("is ", int(has_mask), ", expected 0 or 1"));
  if (has_mask) t.set_mask(read_mask(r, name, t));
  return {std::move(name), std::move(t)};
}

Checkpoint decode(std::span<const char> file, const std::string& what) {
  ByteReader header(file, what);
  const std::vector<char> magic = header.array<char>(sizeof kMagic, "magic");
  if (std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0)
    header.fail("magic", "this is not a synapse checkpoint (it does not start with \"SYNCKPT\")");
  const uint32_t version = header.get<uint32_t>("version");
  if (version == 0) header.fail("version", "format version 0 does not exist");
  if (version > kCheckpointVersion)
    header.fail("version", detail::concat("format version ", version, " is newer than this synapse reads (",
                                          kCheckpointVersion, "); use a newer synapse"));
  const uint64_t size = header.get<uint64_t>("payload size");
  if (size > header.remaining() || header.remaining() - size < kTrailerBytes)
    header.fail("payload", detail::concat("the file is truncated: the header announces ", size,
                                          " payload bytes and a 4-byte checksum, ", header.remaining(),
                                          " bytes follow the header"));
  if (header.remaining() - size > kTrailerBytes)
    header.fail("checksum", detail::concat(header.remaining() - size - kTrailerBytes,
                                           " unexpected bytes after the checksum"));
  const std::span<const char> payload = file.subspan(kHeaderBytes, size);
  ByteReader trailer(file.subspan(kHeaderBytes + size), what);
  const uint32_t stored = trailer.get<uint32_t>("checksum");
  const uint32_t computed = crc32(payload);
  if (stored != computed)
    header.fail("checksum", detail::concat("stored CRC-32 ", stored, " but the payload gives ", computed,
                                           " (the file is damaged)"));

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

}  // namespace

Checkpoint make_checkpoint(const nn::Forecaster& model, DataSettings data) {
  return {model.config(), std::move(data), model.state_dict()};
}

void save_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint) {
  write_file_atomically(path, encode(checkpoint));
}

Checkpoint load_checkpoint(const std::filesystem::path& path, std::string_view expected_kind) {
  const std::string what = describe(path);
  std::error_code ec;
  SYN_CHECK_T(ValueError, std::filesystem::is_regular_file(path, ec), what, ": no such file");
  std::ifstream in(path, std::ios::binary);
  SYN_CHECK_T(ValueError, in.good(), what, ": cannot open it");
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  SYN_CHECK_T(ValueError, !in.bad(), what, ": cannot read it");
  Checkpoint c = decode(bytes, what);
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
