#include "gnuplot.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "synapse/core/error.hpp"

namespace syn::apps {

Gnuplot::Gnuplot(std::string folder) : folder_(std::move(folder)) {
  std::filesystem::create_directories(folder_);
  available_ = std::system("command -v gnuplot >/dev/null 2>&1") == 0;
  if (available_)
    terminal_ = std::system("gnuplot -e 'set terminal pngcairo' >/dev/null 2>&1") == 0 ? "pngcairo" : "png";
}

void Gnuplot::write_data(const std::string& file, const std::string& text) const {
  std::ofstream out(std::filesystem::path(folder_) / file);
  SYN_CHECK_T(Error, out.good(), "report: cannot write '", folder_, "/", file, "'");
  out << text;
}

std::string Gnuplot::plot(const std::string& name, const std::string& body, int width, int height) const {
  const std::string script = name + ".gp";
  write_data(script, detail::concat("set terminal ", terminal_.empty() ? "pngcairo" : terminal_, " size ", width, ",",
                                    height, " font 'sans,10' noenhanced\nset output '", name, ".png'\n", body, "\nunset output\n"));
  scripts_.push_back(script);
  if (!available_) return {};
  const std::string command = detail::concat("cd '", folder_, "' && gnuplot '", script, "' 2>'", name, ".log'");
  if (std::system(command.c_str()) != 0) {
    std::ifstream log(std::filesystem::path(folder_) / (name + ".log"));
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "report: gnuplot failed on %s/%s: %s\n", folder_.c_str(), script.c_str(), text.c_str());
    return {};
  }
  std::filesystem::remove(std::filesystem::path(folder_) / (name + ".log"));
  return name + ".png";
}

std::string file_safe(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '_';
  return out;
}

std::string gp_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace syn::apps
