#pragma once
// libtorch's composed attention (matmul, softmax, matmul; autograd backward) as a peer for
// bench_attention. Compiled only when Debian's libtorch-dev is found (SYN_HAVE_LIBTORCH); this
// header keeps torch's headers out of the benchmark itself.
#include <cstdint>
#include <memory>

namespace syn::bench {

class TorchAttention {
 public:
  // Random q, k, v of shape (batch, heads, t, d) requiring grad, and a random upstream gradient.
  TorchAttention(int64_t batch, int64_t heads, int64_t t, int64_t d, bool causal);
  ~TorchAttention();
  // Forward and backward once, on one intra-op thread.
  void run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace syn::bench
