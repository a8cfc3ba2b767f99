#pragma once
// Optimizer: the base of Sgd, Adam and AdamW. It holds the parameter list and the learning rate,
// runs step() under NoGradGuard and leaves the per-element update rule to the subclass.
//
// Note [Masked optimizer steps]
// How every optimizer keeps Note [Mask invariants] 4:
// - A step visits only the live entries of a masked parameter (Mask::live_indices), so it costs
//   nnz, not numel. Dead weights (exactly 0 by invariant 2) and their state are never written:
//   weight decay and momentum cannot revive them, and dead gradient entries are ignored.
// - State (moment buffers) is allocated zero-filled. When a parameter's mask changes between steps
//   (a pruning decision), the state entries that became dead are zeroed once (cost numel, once per
//   new mask); entries a regrowth revives restart from zero state.
// - Each entry is updated on its own, so parallel chunks write disjoint entries and a step is
//   bitwise identical for any thread count (Note [Determinism]).
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

#include "synapse/core/mask.hpp"
#include "synapse/core/parallel.hpp"
#include "synapse/core/tensor.hpp"

namespace syn::nn {

class Optimizer {
 public:
  // `name` prefixes error messages. Throws ValueError for an empty list, an undefined, non-leaf or
  // repeated parameter, or a negative lr.
  Optimizer(std::vector<Tensor> params, double lr, const char* name);
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient; parameters without one are skipped (torch).
  // Writes go through mutable_data(), so each updated parameter's version is bumped.
  void step();
  // Drops every parameter's gradient.
  void zero_grad();

  // Note [Optimizer state]
  // Everything a step reads besides the parameters and their gradients, for resumable training: per
  // parameter, its step count and its state tensors in a fixed order (undefined before the first step).
  // Importing what export_state() gave makes the following steps bitwise those of the exporter.
  struct State {
    std::vector<int64_t> steps;                // one per parameter
    std::vector<std::vector<Tensor>> tensors;  // one list per parameter, copies
  };
  virtual State export_state() const = 0;
  // ValueError when the counts or shapes do not match this optimizer's parameters.
  virtual void import_state(const State& state) = 0;

  double lr() const { return lr_; }
  void set_lr(double lr);  // for learning-rate schedules (lr_schedule.hpp)
  const std::vector<Tensor>& params() const { return params_; }

 protected:
  // Updates params()[index] from its gradient (same shape, defined).
  virtual void update(size_t index, Tensor& param, const Tensor& grad) = 0;

  // Zeroes the entries of `state` that are dead under param's mask if the mask changed since the
  // last call for this index (Note [Masked optimizer steps]). Call before each update.
  // Checks state against params() (counts, `per_param` tensors each, defined ones shaped as the
  // parameter); ValueError naming the optimizer otherwise.
  void check_state(const State& state, size_t per_param) const;
  // A copy of a state tensor (undefined stays undefined).
  static Tensor copy_of(const Tensor& t) { return t.defined() ? t.clone() : Tensor(); }

  void sync_state_with_mask(size_t index, const Tensor& param, std::initializer_list<Tensor*> state);

  // Calls f(i) for every live entry i of param (every entry without a mask or with an all-live
  // one), in parallel chunks.
  template <class F>
  static void for_each_live(const Tensor& param, F&& f) {
    for_each_live_range(param, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) f(i);
    });
  }
  // The same as contiguous ranges: f(b, e) for runs [b, e) of live entries, in parallel chunks.
  template <class F>
  static void for_each_live_range(const Tensor& param, F&& f) {
    constexpr int64_t kGrain = 8192;
    const auto& mask = param.mask();
    if (mask && mask->nnz() < mask->numel()) {  // an all-live mask takes the contiguous loop
      const int64_t* live = mask->live_indices().data();
      parallel_for(mask->nnz(), kGrain, [&](int64_t b, int64_t e) {
        for (int64_t k = b; k < e;) {
          int64_t run = k + 1;
          while (run < e && live[run] == live[run - 1] + 1) ++run;
          f(live[k], live[run - 1] + 1);
          k = run;
        }
      });
    } else {
      parallel_for(param.numel(), kGrain, f);
    }
  }

 private:
  const char* name_;
  std::vector<Tensor> params_;
  double lr_;
  std::vector<std::shared_ptr<const Mask>> synced_masks_;
};

}  // namespace syn::nn
