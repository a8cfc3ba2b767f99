#pragma once
// Generator: a seeded, reproducible random stream (xoshiro256** seeded through SplitMix64).
// Generator(seed, stream) with different `stream` values gives independent streams for the same
// seed (per-layer init, per-worker shuffling, dropout), so adding a consumer does not shift others.
// A Generator is not thread-safe; give each thread its own stream.
#include <array>
#include <cstdint>

namespace syn {

class Generator {
 public:
  explicit Generator(uint64_t seed = 0, uint64_t stream = 0);

  uint64_t next_u64();
  float uniform();                 // [0, 1), 24 random bits
  float normal();                  // standard normal (Box-Muller)
  bool bernoulli(float p);         // true with probability p
  uint64_t below(uint64_t bound);  // uniform integer in [0, bound), unbiased

  uint64_t seed() const { return seed_; }
  uint64_t stream() const { return stream_; }

  // The whole state (Note [Resumable training]): a generator given another's state() draws exactly
  // what that one would draw next.
  using State = std::array<uint64_t, 8>;
  State state() const;
  void set_state(const State& state);

 private:
  uint64_t state_[4];
  uint64_t seed_, stream_;
  bool has_spare_ = false;
  float spare_ = 0.f;
};

// The process-wide default generator (seed 0 until manual_seed). Not thread-safe.
Generator& default_generator();
void manual_seed(uint64_t seed);

}  // namespace syn
