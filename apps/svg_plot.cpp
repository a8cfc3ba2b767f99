#include "svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace syn::apps {
namespace {

constexpr double kLeft = 70, kRight = 20, kTop = 40, kBottom = 50;

// A round step (1, 2 or 5 times a power of ten) giving about `target` intervals over `span`.
double nice_step(double span, int target) {
  const double raw = span / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void settle() {
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
  }
};

}  // namespace

std::string render_line_plot(const PlotSpec& spec) {
  Range xr, yr;
  for (const PlotLine& l : spec.lines)
    for (size_t i = 0; i < l.x.size() && i < l.y.size(); ++i)
      if (std::isfinite(l.x[i]) && std::isfinite(l.y[i])) xr.add(l.x[i]), yr.add(l.y[i]);
  xr.settle();
  yr.settle();
  const double pad = 0.05 * (yr.hi - yr.lo);
  yr.lo -= pad;
  yr.hi += pad;
  const double w = spec.width, h = spec.height, pw = w - kLeft - kRight, ph = h - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (x - xr.lo) / (xr.hi - xr.lo) * pw; };
  auto py = [&](double y) { return kTop + (yr.hi - y) / (yr.hi - yr.lo) * ph; };

  std::ostringstream s;
  s.precision(6);
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 "
    << w << ' ' << h << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << w / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << escape(spec.title)
    << "</text>\n";
  // Grid and ticks.
  const double xs = nice_step(xr.hi - xr.lo, 10), ys = nice_step(yr.hi - yr.lo, 6);
  for (double x = std::ceil(xr.lo / xs) * xs; x <= xr.hi + 1e-9 * xs; x += xs)
    s << "<line x1=\"" << px(x) << "\" y1=\"" << kTop << "\" x2=\"" << px(x) << "\" y2=\"" << kTop + ph
      << "\" stroke=\"#e5e5e5\"/><text x=\"" << px(x) << "\" y=\"" << kTop + ph + 16
      << "\" text-anchor=\"middle\">" << x << "</text>\n";
  for (double y = std::ceil(yr.lo / ys) * ys; y <= yr.hi + 1e-9 * ys; y += ys)
    s << "<line x1=\"" << kLeft << "\" y1=\"" << py(y) << "\" x2=\"" << kLeft + pw << "\" y2=\"" << py(y)
      << "\" stroke=\"#e5e5e5\"/><text x=\"" << kLeft - 6 << "\" y=\"" << py(y) + 4
      << "\" text-anchor=\"end\">" << y << "</text>\n";
  s << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"#444\"/>\n"
    << "<text x=\"" << kLeft + pw / 2 << "\" y=\"" << h - 12 << "\" text-anchor=\"middle\">"
    << escape(spec.x_label) << "</text>\n"
    << "<text transform=\"translate(16," << kTop + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
    << escape(spec.y_label) << "</text>\n";
  // Lines: one polyline per run of finite points.
  for (const PlotLine& l : spec.lines) {
    std::ostringstream points;
    points.precision(6);
    auto flush = [&] {
      if (!points.str().empty())
        s << "<polyline fill=\"none\" stroke=\"" << escape(l.color) << "\" stroke-width=\"" << l.width
          << "\" points=\"" << points.str() << "\"/>\n";
      points.str("");
    };
    for (size_t i = 0; i < l.x.size() && i < l.y.size(); ++i) {
      if (std::isfinite(l.x[i]) && std::isfinite(l.y[i]))
        points << px(l.x[i]) << ',' << py(l.y[i]) << ' ';
      else
        flush();
    }
    flush();
  }
  // Legend, on a white box.
  s << "<rect x=\"" << kLeft + 4 << "\" y=\"" << kTop + 4 << "\" width=\"230\" height=\""
    << 16 * spec.lines.size() + 6 << "\" fill=\"white\" fill-opacity=\"0.85\"/>\n";
  double ly = kTop + 14;
  for (const PlotLine& l : spec.lines) {
    s << "<line x1=\"" << kLeft + 10 << "\" y1=\"" << ly - 4 << "\" x2=\"" << kLeft + 34 << "\" y2=\""
      << ly - 4 << "\" stroke=\"" << escape(l.color) << "\" stroke-width=\"3\"/><text x=\"" << kLeft + 40
      << "\" y=\"" << ly << "\">" << escape(l.label) << "</text>\n";
    ly += 16;
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace syn::apps
