#pragma once
// synapse's public API for applications: load a trained forecaster and predict from raw windows.
//
//   #include <synapse/synapse.hpp>
//   const syn::Model model = syn::Model::load("btc.syn");
//   std::vector<double> window(model.lookback() * model.num_features());  // rows oldest first, columns
//   ...                                                                    // as model.feature_names()
//   std::vector<double> forecast = model.predict(window);                  // model.horizon() values
//
// Values go in and come out in original units: the model's fitted scaler is applied inside.
// Errors are typed exceptions derived from syn::Error (synapse/core/error.hpp): ValueError for a bad
// file or value, ShapeError for a window of the wrong size. The library never prints or exits.
//
// Note [Model thread safety]
// A loaded Model is immutable: any number of threads may call predict / predict_batch and the
// accessors on the same Model (or on copies, which share the loaded network) at once, without locks.
// Each call runs the network in inference mode, recording no autograd graph, with its own buffers;
// the network's weights, masks and mask index views are only read (index views are built once,
// under the mask's own lock). Loading is independent per call. tests/api/test_model.cpp checks that
// 8 threads predicting at once get the single-threaded results bit for bit.
//
// The full engine (tensors, ops, modules, trainer, pruner) is in the other installed headers,
// synapse/<layer>/*.hpp, for people who build and train models (examples/train_pruned_lstm.cpp).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/version.hpp"

namespace syn {

// The version of the library the program runs against ("0.1.0"); SYN_VERSION_STRING is the one it
// was compiled against.
const char* version();

// Frees the buffers the calling thread keeps for reuse between predictions (and training steps):
// blocks of 64 KiB and more, up to 1 GiB per thread (Note [Buffer cache] in
// synapse/core/buffer_cache.hpp). Later calls allocate afresh; results do not change.
void release_cached_memory();

struct ScalerInfo {
  std::string kind;            // "standard" (offset = mean, scale = sd) or "minmax" (min, max - min)
  std::vector<double> offset;  // one per input column, in feature_names() order
  std::vector<double> scale;   // scaled = (raw - offset) / scale
};

class Model {
 public:
  // Reads a checkpoint written by `synapse train`, `synapse import` or train::save_checkpoint.
  // ValueError naming the file and the field for a missing, damaged or foreign file.
  static Model load(const std::string& path);

  const std::string& kind() const;  // rnn | lstm | gru | patchtst | paper-patchtst | linear
  int64_t lookback() const;         // rows per window
  int64_t horizon() const;          // steps forecast per window
  // The input columns of a window row, in order: the target first, then the features.
  const std::vector<std::string>& feature_names() const;
  int64_t num_features() const;
  const ScalerInfo& scaler() const;
  // Fraction of pruned (masked-off) weights over the tensors that have a mask; 0 without masks.
  double sparsity() const;

  // window: lookback() rows × num_features() values, row-major, oldest row first, raw units.
  // Returns horizon() forecasts of the target in original units (t+1 .. t+H). ShapeError for a
  // window of another size, ValueError for a non-finite value (naming its row and column).
  // An MC-dropout model predicts with dropout off (the CLI's `predict` reports the MC spread).
  std::vector<double> predict(std::span<const double> window) const;
  // windows: count × lookback() × num_features() values -> count × horizon() forecasts, row-major.
  // The same forecasts as predict() on each window up to float rounding: the kernels chosen depend
  // on the batch (Note [Sparse plans] in synapse/ops/sparse_plan.hpp); each result is deterministic.
  std::vector<double> predict_batch(std::span<const double> windows) const;

 private:
  struct State;
  explicit Model(std::shared_ptr<const State> state);
  std::shared_ptr<const State> state_;
};

}  // namespace syn
