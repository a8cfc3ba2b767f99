// State dicts to and from safetensors (Note [Masks in safetensors]).
#include "synapse/interop/torch_state.hpp"

#include <cstring>
#include <set>

#include "synapse/core/error.hpp"
#include "synapse/core/mask.hpp"

namespace syn::interop {
namespace {

constexpr std::string_view kMaskSuffix = "_mask";
constexpr std::string_view kOrigSuffix = "_orig";

bool is_step_counter(std::string_view name) { return name.ends_with("num_batches_tracked"); }

const std::vector<int64_t>& dims(const Tensor& t) { return t.shape().dims(); }

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

// The F32 values of `t` (I64 also for the step counter), checked against the module's tensor.
std::vector<float> checked_values(const SafetensorsTensor& t, const Tensor& expected, const std::string& name,
                                  std::string_view source) {
  const std::vector<int64_t> want = dims(expected);
  SYN_CHECK_T(ShapeError, t.shape == want, source, ": tensor '", t.name, "' has shape ", shape_text(t.shape),
              ", but the model's '", name, "' is ", shape_text(want));
  if (is_step_counter(name) && t.dtype == "I64") {
    int64_t count = 0;
    std::memcpy(&count, t.data.data(), sizeof count);
    return {static_cast<float>(count)};
  }
  SYN_CHECK_T(ValueError, t.dtype == "F32", source, ": tensor '", t.name, "' has dtype ", t.dtype,
              ", expected F32");
  return f32_values(t);
}

std::shared_ptr<const Mask> checked_mask(const SafetensorsTensor& t, const Tensor& expected, const std::string& name,
                                         std::string_view source) {
  const std::vector<float> values = checked_values(t, expected, name, source);
  std::vector<uint8_t> live(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    SYN_CHECK_T(ValueError, values[i] == 0.f || values[i] == 1.f, source, ": mask '", t.name, "' holds ", values[i],
                " at flat index ", i, "; a mask holds only 0 and 1");
    live[i] = values[i] == 1.f;
  }
  return std::make_shared<Mask>(live);
}

}  // namespace

SafetensorsFile to_safetensors(const nn::StateDict& state, std::map<std::string, std::string> metadata) {
  SafetensorsFile file;
  file.metadata = std::move(metadata);
  for (const auto& [name, t] : state) {
    if (is_step_counter(name)) {
      const auto count = static_cast<int64_t>(t.data()[0]);
      SafetensorsTensor s{name, "I64", dims(t), std::vector<std::byte>(sizeof count)};
      std::memcpy(s.data.data(), &count, sizeof count);
      file.tensors.push_back(std::move(s));
      continue;
    }
    file.tensors.push_back(f32_tensor(name, dims(t), t.data()));
    if (const auto& mask = t.mask()) {
      std::vector<float> live(static_cast<size_t>(mask->numel()));
      for (int64_t i = 0; i < mask->numel(); ++i) live[static_cast<size_t>(i)] = mask->live(i) ? 1.f : 0.f;
      file.tensors.push_back(f32_tensor(name + std::string(kMaskSuffix), dims(t), live.data()));
    }
  }
  return file;
}

nn::StateDict state_dict_from_safetensors(const nn::Module& module, const SafetensorsFile& file,
                                          std::string_view source) {
  std::set<std::string> used;
  nn::StateDict state;
  for (const auto& [name, expected] : module.state_dict()) {
    const std::string mask_name = name + std::string(kMaskSuffix), orig_name = name + std::string(kOrigSuffix);
    const SafetensorsTensor* plain = file.find(name);
    const SafetensorsTensor* orig = file.find(orig_name);
    const SafetensorsTensor* mask = file.find(mask_name);
    SYN_CHECK_T(ValueError, plain || orig, source, ": tensor '", name, "' is missing (the model has it",
                mask ? ", and the file has its mask" : "", ")");
    SYN_CHECK_T(ValueError, !(plain && orig), source, ": both '", name, "' and '", orig_name,
                "' are present; expected one of them");
    SYN_CHECK_T(ValueError, !orig || mask, source, ": tensor '", orig_name, "' comes without '", mask_name, "'");
    const SafetensorsTensor& values = plain ? *plain : *orig;
    std::vector<float> v = checked_values(values, expected, name, source);
    Tensor t = Tensor::from(v, expected.shape());
    used.insert(values.name);
    if (mask) {
      t.set_mask(checked_mask(*mask, expected, name, source));  // zeroes dead entries: orig × mask
      used.insert(mask_name);
    }
    state.emplace_back(name, t);
  }
  for (const SafetensorsTensor& t : file.tensors)
    SYN_CHECK_T(ValueError, used.count(t.name), source, ": tensor '", t.name, "' is unexpected: the model has no ",
                "tensor of that name");
  return state;
}

void load_safetensors(nn::Module& module, const std::filesystem::path& path) {
  const SafetensorsFile file = read_safetensors(path);
  module.load_state_dict(state_dict_from_safetensors(module, file, path.string()));
}

}  // namespace syn::interop
