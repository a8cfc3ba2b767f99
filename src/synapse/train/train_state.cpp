#include "synapse/train/train_state.hpp"

#include "synapse/core/error.hpp"
#include "synapse/train/atomic_file.hpp"
#include "synapse/train/byte_reader.hpp"
#include "synapse/train/byte_writer.hpp"
#include "synapse/train/framed_file.hpp"
#include "synapse/train/tensor_io.hpp"

namespace syn::train {
namespace {

const FrameKind kStateFrame{{'S', 'Y', 'N', 'T', 'R', 'S', 'T', '\n'}, kTrainStateVersion,
                            "a synapse training state"};

void put_tensors(ByteWriter& w, const nn::StateDict& tensors) {
  w.put(static_cast<uint32_t>(tensors.size()));
  for (const auto& [name, t] : tensors) write_tensor(w, name, t);
}

nn::StateDict get_tensors(ByteReader& r, const std::string& field) {
  nn::StateDict out(r.count(field + " count", sizeof(uint32_t) * 2 + 1));
  for (size_t i = 0; i < out.size(); ++i) out[i] = read_tensor(r, static_cast<uint32_t>(i));
  return out;
}

}  // namespace

void save_train_state(const std::filesystem::path& path, const TrainState& s) {
  ByteWriter w;
  w.str(s.fingerprint);
  for (int64_t v : {s.epoch, s.step, s.best_epoch, s.kept_epoch, s.skipped_batches}) w.put(v);
  w.put(s.lr);
  w.put(s.best_val_loss);
  w.put(static_cast<uint32_t>(s.history.size()));
  for (const EpochInfo& e : s.history) {
    w.put(e.epoch);
    for (double v : {e.train_loss, e.val_loss, e.seconds, e.lr}) w.put(v);
    w.put(static_cast<uint8_t>(e.improved));
  }
  w.put(static_cast<uint32_t>(s.callbacks.size()));
  for (const std::string& c : s.callbacks) w.str(c);
  put_tensors(w, s.weights);
  put_tensors(w, s.kept);
  w.put(static_cast<uint32_t>(s.optimizer.steps.size()));
  for (size_t i = 0; i < s.optimizer.steps.size(); ++i) {
    w.put(s.optimizer.steps[i]);
    w.put(static_cast<uint32_t>(s.optimizer.tensors[i].size()));
    for (const Tensor& t : s.optimizer.tensors[i]) {
      w.put(static_cast<uint8_t>(t.defined()));
      if (t.defined()) write_tensor(w, "", t);
    }
  }
  w.put(static_cast<uint32_t>(s.random_streams.size()));
  for (const auto& [name, state] : s.random_streams) {
    w.str(name);
    for (uint64_t v : state) w.put(v);
  }
  write_file_atomically(path, frame(kStateFrame, w.bytes()));
}

TrainState parse_train_state(std::span<const char> file, const std::string& what) {
  ByteReader r(unframe(kStateFrame, file, what).payload, what);
  TrainState s;
  s.fingerprint = r.str("fingerprint");
  for (int64_t* v : {&s.epoch, &s.step, &s.best_epoch, &s.kept_epoch, &s.skipped_batches}) {
    *v = r.get<int64_t>("counters");
    if (*v < 0) r.fail("counters", detail::concat("negative value ", *v));
  }
  s.lr = r.get<double>("lr");
  s.best_val_loss = r.get<double>("best_val_loss");
  const uint32_t epochs = r.count("history count", sizeof(int64_t) + 4 * sizeof(double) + 1);
  for (uint32_t i = 0; i < epochs; ++i) {
    EpochInfo e;
    e.epoch = r.get<int64_t>("history epoch");
    for (double* v : {&e.train_loss, &e.val_loss, &e.seconds, &e.lr}) *v = r.get<double>("history values");
    e.improved = r.get<uint8_t>("history improved") != 0;
    s.history.push_back(e);
  }
  if (static_cast<int64_t>(s.history.size()) != s.epoch)
    r.fail("history", detail::concat(s.history.size(), " entries for ", s.epoch, " epochs"));
  const uint32_t callbacks = r.count("callbacks count", sizeof(uint32_t));
  for (uint32_t i = 0; i < callbacks; ++i) s.callbacks.push_back(r.str("callback state"));
  s.weights = get_tensors(r, "weights");
  s.kept = get_tensors(r, "kept");
  const uint32_t params = r.count("optimizer count", sizeof(int64_t) + sizeof(uint32_t));
  for (uint32_t i = 0; i < params; ++i) {
    s.optimizer.steps.push_back(r.get<int64_t>("optimizer step"));
    std::vector<Tensor> tensors(r.count("optimizer tensor count", 1));
    for (Tensor& t : tensors) {
      const uint8_t defined = r.get<uint8_t>("optimizer tensor defined");
      if (defined > 1) r.fail("optimizer tensor defined", detail::concat("is ", int(defined), ", expected 0 or 1"));
      if (defined) t = read_tensor(r, i).second;
    }
    s.optimizer.tensors.push_back(std::move(tensors));
  }
  const uint32_t streams = r.count("random stream count", sizeof(uint32_t) + sizeof(Generator::State));
  for (uint32_t i = 0; i < streams; ++i) {
    auto& [name, state] = s.random_streams.emplace_back();
    name = r.str("random stream name");
    for (uint64_t& v : state) v = r.get<uint64_t>("random stream state");
  }
  if (r.remaining() != 0) r.fail("payload", detail::concat(r.remaining(), " unexpected bytes at the end"));
  return s;
}

TrainState load_train_state(const std::filesystem::path& path) {
  const std::string what = "training state '" + path.string() + "'";
  return parse_train_state(read_file_bytes(path, what), what);
}

}  // namespace syn::train
