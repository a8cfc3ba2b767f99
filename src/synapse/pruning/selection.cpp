#include "synapse/pruning/selection.hpp"

#include "synapse/core/error.hpp"

namespace syn::pruning {
namespace {

bool matches_any(const std::vector<std::string>& patterns, std::string_view name) {
  for (const std::string& p : patterns)
    if (glob_match(p, name)) return true;
  return false;
}

std::string names_of(const nn::NamedTensors& params) {
  std::string out;
  for (const auto& [name, _] : params) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void check_each_matches(const char* which, const std::vector<std::string>& patterns,
                        const nn::NamedTensors& params) {
  for (const std::string& p : patterns) {
    bool hit = false;
    for (const auto& [name, _] : params) hit = hit || glob_match(p, name);
    SYN_CHECK_T(ValueError, hit, "pruning: ", which, " pattern '", p,
                "' matches no parameter (expected a glob over dotted parameter names, e.g. '*.bias'; "
                "the parameters are ",
                names_of(params), ")");
  }
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative matching with one backtrack point (the last '*'), linear in practice.
  size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool prunable_by_default(const std::string& name, const Tensor& parameter) {
  const size_t dot = name.rfind('.');
  const std::string_view own = dot == std::string::npos ? std::string_view(name) : std::string_view(name).substr(dot + 1);
  return parameter.rank() >= 2 && own.find("weight") != std::string_view::npos;
}

std::vector<size_t> select_prunable(const nn::NamedTensors& params, const std::vector<std::string>& include,
                                    const std::vector<std::string>& exclude) {
  check_each_matches("include", include, params);
  check_each_matches("exclude", exclude, params);
  std::vector<size_t> chosen;
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& [name, t] = params[i];
    if ((prunable_by_default(name, t) || matches_any(include, name)) && !matches_any(exclude, name))
      chosen.push_back(i);
  }
  SYN_CHECK_T(ValueError, !chosen.empty(), "pruning: no prunable tensors (the default takes weight matrices; ",
              include.empty() && exclude.empty() ? "" : "the include and exclude patterns left none; ",
              "the parameters are ", names_of(params), ")");
  return chosen;
}

}  // namespace syn::pruning
