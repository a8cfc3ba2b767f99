#include "synapse/nn/module.hpp"

#include <map>
#include <set>
#include <sstream>

#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"

namespace syn::nn {
namespace {
std::string join_keys(const std::vector<std::string>& keys) {
  std::ostringstream out;
  for (size_t i = 0; i < keys.size(); ++i) out << (i ? ", " : "") << '\'' << keys[i] << '\'';
  return out.str();
}
}  // namespace

void Module::check_new_name(const std::string& name, const char* what) const {
  SYN_CHECK_T(ValueError, !name.empty() && name.find('.') == std::string::npos, "Module::", what, ": name '",
              name, "' must be non-empty and contain no '.'");
  auto taken = [&](const auto& entries) {
    for (const auto& [n, _] : entries)
      if (n == name) return true;
    return false;
  };
  SYN_CHECK_T(ValueError, !taken(parameters_) && !taken(buffers_) && !taken(children_), "Module::", what,
              ": name '", name, "' is already registered in this module");
}

Tensor Module::register_parameter(const std::string& name, Tensor parameter) {
  check_new_name(name, "register_parameter");
  SYN_CHECK_T(ValueError, parameter.defined(), "Module::register_parameter: '", name, "' is undefined");
  SYN_CHECK_T(ValueError, parameter.is_leaf(), "Module::register_parameter: '", name,
              "' is not a leaf (it was produced by a recorded op); register a detached tensor");
  parameter.set_requires_grad(true);
  parameters_.emplace_back(name, parameter);
  return parameter;
}

Tensor Module::register_buffer(const std::string& name, Tensor buffer) {
  check_new_name(name, "register_buffer");
  SYN_CHECK_T(ValueError, buffer.defined(), "Module::register_buffer: '", name, "' is undefined");
  buffers_.emplace_back(name, buffer);
  return buffer;
}

void Module::register_random_stream(const std::string& name, Generator& gen) {
  SYN_CHECK_T(ValueError, !name.empty() && name.find('.') == std::string::npos,
              "Module::register_random_stream: name '", name, "' must be non-empty and contain no '.'");
  for (const auto& [n, _] : random_streams_)
    SYN_CHECK_T(ValueError, n != name, "Module::register_random_stream: '", name, "' is already registered");
  random_streams_.emplace_back(name, &gen);
}

std::vector<std::pair<std::string, Generator*>> Module::named_random_streams() const {
  std::vector<std::pair<std::string, Generator*>> out(random_streams_);
  for (const auto& [name, child] : children_)
    for (auto& [n, gen] : child->named_random_streams()) out.emplace_back(name + '.' + n, gen);
  return out;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> child) {
  check_new_name(name, "register_module");
  SYN_CHECK_T(ValueError, child != nullptr, "Module::register_module: '", name, "' is null");
  children_.emplace_back(name, std::move(child));
}

void Module::collect(const std::string& prefix, bool with_parameters, bool with_buffers,
                     NamedTensors& out) const {
  if (with_parameters)
    for (const auto& [name, t] : parameters_) out.emplace_back(prefix + name, t);
  if (with_buffers)
    for (const auto& [name, t] : buffers_) out.emplace_back(prefix + name, t);
  for (const auto& [name, child] : children_)
    child->collect(prefix + name + '.', with_parameters, with_buffers, out);
}

NamedTensors Module::named_parameters() const {
  NamedTensors out;
  collect("", true, false, out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [_, t] : named_parameters()) out.push_back(t);
  return out;
}

NamedTensors Module::named_buffers() const {
  NamedTensors out;
  collect("", false, true, out);
  return out;
}

void Module::set_mc_dropout(bool on) {
  mc_dropout_ = on;
  for (auto& [_, child] : children_) child->set_mc_dropout(on);
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [_, child] : children_) child->train(on);
}

StateDict Module::state_dict() const {
  StateDict out;
  collect("", true, true, out);
  for (auto& [_, t] : out) t = t.detach();
  return out;
}

void Module::load_state_dict(const StateDict& state) {
  std::map<std::string, const Tensor*> source;
  for (const auto& [name, t] : state)
    SYN_CHECK_T(ValueError, source.emplace(name, &t).second, "load_state_dict: duplicate key '", name, "'");
  NamedTensors own;
  collect("", true, true, own);

  std::vector<std::string> missing, unexpected;
  std::set<std::string> known;
  for (const auto& [name, _] : own) {
    known.insert(name);
    if (!source.count(name)) missing.push_back(name);
  }
  for (const auto& [name, _] : state)
    if (!known.count(name)) unexpected.push_back(name);
  SYN_CHECK_T(ValueError, missing.empty() && unexpected.empty(),
              "load_state_dict: ", missing.empty() ? "" : "missing keys " + join_keys(missing),
              missing.empty() || unexpected.empty() ? "" : "; ",
              unexpected.empty() ? "" : "unexpected keys " + join_keys(unexpected));

  for (const auto& [name, t] : own) {
    const Tensor& src = *source.at(name);
    SYN_CHECK_T(ValueError, src.defined(), "load_state_dict: '", name, "' is undefined");
    SYN_CHECK_T(ShapeError, src.shape() == t.shape(), "load_state_dict: shape mismatch for '", name,
                "': the module has ", t.shape(), ", the state dict ", src.shape());
  }
  NoGradGuard no_grad;
  for (auto& [name, t] : own) {
    const Tensor& src = *source.at(name);
    t.copy_(src);
    t.set_mask(src.mask());
  }
}

void Module::zero_grad() {
  for (auto& [_, t] : named_parameters()) t.zero_grad();
}

int64_t Module::num_parameters() const {
  int64_t n = 0;
  for (const auto& [_, t] : named_parameters()) n += t.numel();
  return n;
}

}  // namespace syn::nn
