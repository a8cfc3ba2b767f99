// libtorch peer of bench_attention (see torch_attention_peer.hpp).
#include "torch_attention_peer.hpp"

#include <torch/torch.h>

#include <cmath>

namespace syn::bench {

struct TorchAttention::Impl {
  torch::Tensor q, k, v, dout, mask;
  double scale = 1;
  bool causal = false;
};

TorchAttention::TorchAttention(int64_t batch, int64_t heads, int64_t t, int64_t d, bool causal)
    : impl_(std::make_unique<Impl>()) {
  torch::manual_seed(0);
  auto make = [&] { return torch::rand({batch, heads, t, d}) * 2 - 1; };
  impl_->q = make().requires_grad_();
  impl_->k = make().requires_grad_();
  impl_->v = make().requires_grad_();
  impl_->dout = make();
  impl_->scale = 1.0 / std::sqrt(static_cast<double>(d));
  impl_->causal = causal;
  impl_->mask = torch::ones({t, t}, torch::kBool).triu(1);
}

TorchAttention::~TorchAttention() = default;

void TorchAttention::run() {
  torch::set_num_threads(1);
  Impl& m = *impl_;
  for (torch::Tensor* t : {&m.q, &m.k, &m.v}) t->mutable_grad() = torch::Tensor();
  torch::Tensor s = torch::matmul(m.q, m.k.transpose(-2, -1)) * m.scale;
  if (m.causal) s = s.masked_fill(m.mask, -std::numeric_limits<float>::infinity());
  torch::Tensor out = torch::matmul(torch::softmax(s, -1), m.v);
  out.backward(m.dout);
}

}  // namespace syn::bench
