#pragma once
// A dependency-free SVG line plot: axes with round-numbered ticks, labelled lines, a legend.
#include <string>
#include <vector>

namespace syn::apps {

struct PlotLine {
  std::string label;
  std::string color;         // any SVG colour, e.g. "#1f77b4"
  std::vector<double> x, y;  // same length; non-finite points break the line
  double width = 1.5;
};

struct PlotSpec {
  std::string title, x_label, y_label;
  std::vector<PlotLine> lines;
  int width = 1000, height = 420;  // pixels
};

// The SVG document. Lines with no finite point are listed in the legend only.
std::string render_line_plot(const PlotSpec& spec);

}  // namespace syn::apps
