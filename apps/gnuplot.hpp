#pragma once
// Gnuplot: writes a plot as a gnuplot script and its data files into one folder and draws it to PNG
// with the `gnuplot` program when it is installed (Note [Report plots]).
#include <string>
#include <vector>

namespace syn::apps {

// Note [Report plots]
// Every plot is a self-contained script NAME.gp (with NAME*.dat beside it) in the report's plots/
// folder, so a reader can restyle and redraw it (`cd plots && gnuplot NAME.gp`). When gnuplot is not
// on PATH the scripts are still written, nothing is drawn, and the report says so and how to install it
// (Debian: gnuplot-nox) instead of failing.
class Gnuplot {
 public:
  explicit Gnuplot(std::string folder);

  bool available() const { return available_; }
  const std::string& folder() const { return folder_; }
  // Writes NAME.dat (or any file name) with `text`.
  void write_data(const std::string& file, const std::string& text) const;
  // Writes NAME.gp: the terminal and output NAME.png, then `body`; draws it when gnuplot is available.
  // Returns NAME.png when drawn, empty otherwise (a gnuplot error is printed on stderr).
  std::string plot(const std::string& name, const std::string& body, int width = 900, int height = 500) const;
  std::vector<std::string> scripts() const { return scripts_; }

 private:
  std::string folder_;
  bool available_ = false;
  std::string terminal_;
  mutable std::vector<std::string> scripts_;
};

// "a b" -> "a_b", keeping letters, digits, '-', '_', '.'.
std::string file_safe(const std::string& name);
// A gnuplot string literal.
std::string gp_quote(const std::string& s);

}  // namespace syn::apps
