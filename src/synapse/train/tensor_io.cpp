#include "synapse/train/tensor_io.hpp"

#include <bit>
#include <cstring>
#include <memory>
#include <vector>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

namespace syn::train {
namespace {
constexpr uint32_t kMaxRank = 8;

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

}  // namespace

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

}  // namespace syn::train
