#include "experiment_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gnuplot.hpp"
#include "synapse/core/error.hpp"
#include "synapse/forecast/experiment_grid.hpp"
#include "synapse/forecast/results_file.hpp"
#include "synapse/forecast/statistics.hpp"

namespace syn::apps {
namespace {

using nlohmann::json;
namespace fc = syn::forecast;

// Settings that say which dataset, model and regulariser a run is, or which repeat (seed).
const std::set<std::string> kIdentityKeys = {"dataset", "data", "target", "features", "ignore", "na", "na_markers",
                                             "missing", "model", "regulariser", "reg", "lookback", "protocol",
                                             "seed"};

bool is_pruning_key(const std::string& key) {
  return std::find(fc::kPruningSettingKeys.begin(), fc::kPruningSettingKeys.end(), key) !=
         fc::kPruningSettingKeys.end();
}

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

double number(const json& v) { return v.is_number() ? v.get<double>() : std::nan(""); }

std::string fmt(double v, int digits = 4) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string percent(double v) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.1f%%", v);
  return buf;
}

// The runs of one setting, over its seeds.
struct Cell {
  json settings;  // without seed
  std::string dataset, protocol, model, method, block;
  std::string setting;  // the varying settings that are not pruning settings, "k=v ..."
  int64_t lookback = 0;
  std::vector<const json*> runs;
  fc::MeanCi mae, rmse;
  double sparsity = 0, seconds = 0, step_seconds = 0, epochs = 0;
  double vs_none = std::nan(""), vs_dropout = std::nan("");
};

struct Report {
  std::vector<std::string> varying;  // settings besides the identity keys that take several values
  std::vector<Cell> cells;           // sorted by dataset, protocol, model, lookback, block, method
  std::map<std::string, size_t> by_key;
};

// Keys that take several values among the runs of one regulariser (its preset's own settings, equal
// across its runs, do not count).
std::vector<std::string> varying_keys(const std::vector<json>& records) {
  std::map<std::pair<std::string, std::string>, std::set<std::string>> values;  // (regulariser, key) -> values
  for (const json& r : records)
    for (const auto& [key, v] : r["settings"].items())
      if (!kIdentityKeys.contains(key)) values[{value_text(r["settings"]["regulariser"]), key}].insert(v.dump());
  std::set<std::string> out;
  for (const auto& [rk, vs] : values)
    if (vs.size() > 1) out.insert(rk.second);
  return {out.begin(), out.end()};
}

// The cell key of `settings` (seed dropped) with the regulariser replaced (for the comparisons).
std::string reference_key(json settings, const std::string& regulariser) {
  settings["regulariser"] = regulariser;
  settings["reg"] = regulariser == "none" ? "none" : regulariser;
  for (const std::string& k : fc::kPruningSettingKeys) settings.erase(k);
  return settings.dump();
}

Report build_cells(const std::vector<json>& records) {
  Report rep;
  rep.varying = varying_keys(records);
  std::map<std::string, Cell> cells;
  for (const json& r : records) {
    json s = r["settings"];
    s.erase("seed");
    Cell& c = cells[s.dump()];
    if (c.runs.empty()) {
      c.settings = s;
      c.dataset = value_text(s["dataset"]);
      c.protocol = value_text(s["protocol"]);
      c.model = value_text(s["model"]);
      c.lookback = s["lookback"].get<int64_t>();
      c.method = value_text(s["regulariser"]);
      for (const std::string& k : rep.varying)
        if (s.contains(k)) {
          std::string& to = is_pruning_key(k) ? c.method : c.setting;
          to += (to.empty() ? "" : " ") + k + "=" + value_text(s[k]);
        }
      c.block = detail::concat(c.model, " L", c.lookback, c.setting.empty() ? "" : " ", c.setting);
    }
    c.runs.push_back(&r);
  }
  for (auto& [key, c] : cells) {
    std::vector<double> mae, rmse;
    for (const json* r : c.runs) {
      mae.push_back(number((*r)["metrics"]["mae"]));
      rmse.push_back(number((*r)["metrics"]["rmse"]));
      const double n = static_cast<double>(c.runs.size());
      c.sparsity += number((*r)["sparsity"]) / n;
      c.seconds += number((*r)["seconds"]) / n;
      c.step_seconds += number((*r)["step_seconds"]) / n;
      c.epochs += number((*r)["training"]["epochs"]) / n;
    }
    c.mae = fc::mean_ci(mae);
    c.rmse = fc::mean_ci(rmse);
    rep.cells.push_back(c);
  }
  std::sort(rep.cells.begin(), rep.cells.end(), [](const Cell& a, const Cell& b) {
    return std::tie(a.dataset, a.protocol, a.model, a.lookback, a.block, a.method) <
           std::tie(b.dataset, b.protocol, b.model, b.lookback, b.block, b.method);
  });
  for (size_t i = 0; i < rep.cells.size(); ++i) {
    json s = rep.cells[i].settings;
    rep.by_key[s.dump()] = i;
  }
  for (Cell& c : rep.cells) {
    for (const auto& [name, out] : {std::pair<std::string, double*>{"none", &c.vs_none}, {"dropout", &c.vs_dropout}}) {
      auto it = rep.by_key.find(reference_key(c.settings, name));
      if (it != rep.by_key.end() && c.method != name)
        *out = 100 * (c.mae.mean - rep.cells[it->second].mae.mean) / rep.cells[it->second].mae.mean;
    }
  }
  return rep;
}

// One comparison of methods: per (dataset or all) and protocol.
struct Comparison {
  std::string name, protocol;  // dataset name or "all datasets"
  std::vector<std::string> methods, blocks;
  std::vector<std::vector<double>> table;  // blocks x methods, mean MAE
  int64_t dropped_blocks = 0;              // blocks lacking a method
  std::optional<fc::FriedmanResult> friedman;
  std::vector<double> ranks;
  double cd = std::nan("");
  struct Pair {
    std::string a, b;
    fc::WilcoxonResult w;
    double holm = 1;
  };
  std::vector<Pair> pairs;
  std::string note;
};

Comparison compare(const Report& rep, const std::string& dataset, const std::string& protocol) {
  Comparison cmp;
  cmp.name = dataset.empty() ? "all datasets" : dataset;
  cmp.protocol = protocol;
  std::map<std::string, std::map<std::string, double>> blocks;  // block -> method -> MAE
  std::set<std::string> methods;
  for (const Cell& c : rep.cells) {
    if (c.protocol != protocol || (!dataset.empty() && c.dataset != dataset)) continue;
    blocks[(dataset.empty() ? c.dataset + " " : "") + c.block][c.method] = c.mae.mean;
    methods.insert(c.method);
  }
  cmp.methods.assign(methods.begin(), methods.end());
  for (const auto& [block, values] : blocks) {
    if (values.size() != methods.size()) {
      ++cmp.dropped_blocks;
      continue;
    }
    cmp.blocks.push_back(block);
    std::vector<double> row;
    for (const std::string& m : cmp.methods) row.push_back(values.at(m));
    cmp.table.push_back(row);
  }
  const auto k = static_cast<int64_t>(cmp.methods.size()), n = static_cast<int64_t>(cmp.blocks.size());
  if (k < 2 || n < 1) {
    cmp.note = detail::concat(k, " methods over ", n, " complete blocks: nothing to compare");
    return cmp;
  }
  cmp.ranks.assign(static_cast<size_t>(k), 0.0);
  for (const auto& row : cmp.table) {
    const std::vector<double> r = fc::average_ranks_of(row);
    for (size_t j = 0; j < r.size(); ++j) cmp.ranks[j] += r[j] / static_cast<double>(n);
  }
  if (k >= 3 && n >= 2)
    cmp.friedman = fc::friedman(cmp.table);
  else
    cmp.note = detail::concat("Friedman needs at least 3 methods and 2 blocks (have ", k, " and ", n, ")");
  cmp.cd = fc::nemenyi_critical_difference(k, n);
  std::vector<double> p;
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = a + 1; b < k; ++b) {
      std::vector<double> x, y;
      for (const auto& row : cmp.table) {
        x.push_back(row[static_cast<size_t>(a)]);
        y.push_back(row[static_cast<size_t>(b)]);
      }
      cmp.pairs.push_back({cmp.methods[static_cast<size_t>(a)], cmp.methods[static_cast<size_t>(b)],
                           fc::wilcoxon_signed_rank(x, y)});
      p.push_back(cmp.pairs.back().w.p_value);
    }
  const std::vector<double> holm = fc::holm_adjust(p);
  for (size_t i = 0; i < holm.size(); ++i) cmp.pairs[i].holm = holm[i];
  return cmp;
}

std::string ci_text(const fc::MeanCi& m) {
  return std::isfinite(m.half_width) ? fmt(m.mean, 5) + " ± " + fmt(m.half_width, 3) : fmt(m.mean, 5);
}

void write_cells_csv(const Report& rep, const std::string& path) {
  std::ofstream out(path);
  out << "dataset,protocol,model,lookback,block,method,runs,mae_mean,mae_ci95,rmse_mean,rmse_ci95,"
         "mae_change_vs_none_pct,mae_change_vs_dropout_pct,final_sparsity,epochs,train_seconds,step_ms\n";
  auto q = [](const std::string& s) { return "\"" + s + "\""; };
  for (const Cell& c : rep.cells)
    out << q(c.dataset) << ',' << c.protocol << ',' << c.model << ',' << c.lookback << ',' << q(c.block) << ','
        << q(c.method) << ',' << c.runs.size() << ',' << fmt(c.mae.mean, 8) << ',' << fmt(c.mae.half_width, 6) << ','
        << fmt(c.rmse.mean, 8) << ',' << fmt(c.rmse.half_width, 6) << ',' << fmt(c.vs_none, 6) << ','
        << fmt(c.vs_dropout, 6) << ',' << fmt(c.sparsity, 4) << ',' << fmt(c.epochs, 3) << ',' << fmt(c.seconds, 4)
        << ',' << fmt(1000 * c.step_seconds, 4) << '\n';
}

void write_stats_csv(const std::vector<Comparison>& cmps, const std::string& dir) {
  std::ofstream ranks(dir + "/ranks.csv"), pairs(dir + "/wilcoxon.csv");
  ranks << "comparison,protocol,method,average_rank,blocks,friedman_statistic,friedman_p,nemenyi_cd\n";
  pairs << "comparison,protocol,method_a,method_b,n,statistic,p_value,p_holm,exact\n";
  for (const Comparison& c : cmps) {
    for (size_t j = 0; j < c.ranks.size(); ++j)
      ranks << '"' << c.name << "\"," << c.protocol << ",\"" << c.methods[j] << "\"," << fmt(c.ranks[j], 6) << ','
            << c.blocks.size() << ',' << (c.friedman ? fmt(c.friedman->statistic, 8) : "") << ','
            << (c.friedman ? fmt(c.friedman->p_value, 6) : "") << ',' << fmt(c.cd, 6) << '\n';
    for (const auto& p : c.pairs)
      pairs << '"' << c.name << "\"," << c.protocol << ",\"" << p.a << "\",\"" << p.b << "\"," << p.w.n << ','
            << fmt(p.w.statistic, 8) << ',' << fmt(p.w.p_value, 6) << ',' << fmt(p.holm, 6) << ','
            << (p.w.exact ? "true" : "false") << '\n';
  }
}

// ---- plots (Note [Report plots]) ----

std::string bar_plot(const Gnuplot& gp, const Report& rep, const std::string& dataset, const std::string& protocol) {
  std::vector<std::string> methods, blocks;
  std::map<std::pair<std::string, std::string>, const Cell*> at;
  for (const Cell& c : rep.cells) {
    if (c.dataset != dataset || c.protocol != protocol) continue;
    if (std::find(methods.begin(), methods.end(), c.method) == methods.end()) methods.push_back(c.method);
    if (std::find(blocks.begin(), blocks.end(), c.block) == blocks.end()) blocks.push_back(c.block);
    at[{c.block, c.method}] = &c;
  }
  std::sort(methods.begin(), methods.end());
  const std::string name = file_safe("mae_" + dataset + "_" + protocol);
  std::ostringstream data;
  for (const std::string& b : blocks) {
    data << gp_quote(b);
    for (const std::string& m : methods) {
      const auto it = at.find({b, m});
      const Cell* c = it == at.end() ? nullptr : it->second;
      data << ' ' << (c ? fmt(c->mae.mean, 8) : "NaN") << ' '
           << (c && std::isfinite(c->mae.half_width) ? fmt(c->mae.half_width, 6) : "0");
    }
    data << '\n';
  }
  gp.write_data(name + ".dat", data.str());
  std::ostringstream body;
  body << "set title " << gp_quote("Test MAE by regulariser: " + dataset + ", protocol " + protocol +
                                   " (mean over seeds, 95% CI)")
       << "\nset style data histograms\nset style histogram errorbars gap 1 lw 1\nset style fill solid 0.7 border -1\n"
       << "set ylabel 'MAE (original units)'\nset yrange [0:*]\nset xtics rotate by -25\nset key outside right top\n"
       << "set grid ytics\nplot ";
  for (size_t j = 0; j < methods.size(); ++j)
    body << (j ? ", " : "") << "'" << name << ".dat' using " << 2 + 2 * j << ":" << 3 + 2 * j
         << (j == 0 ? ":xtic(1)" : "") << " title " << gp_quote(methods[j]);
  return gp.plot(name, body.str(), 1000, 520);
}

std::string cd_plot(const Gnuplot& gp, const Comparison& c) {
  if (c.ranks.size() < 2) return {};
  const auto k = static_cast<double>(c.ranks.size());
  const std::string name = file_safe("cd_" + c.name + "_" + c.protocol);
  std::vector<size_t> order(c.ranks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return c.ranks[a] < c.ranks[b]; });
  std::ostringstream b;
  b << "set title " << gp_quote(detail::concat("Average ranks (1 = lowest MAE): ", c.name, ", protocol ", c.protocol,
                                             "; ", c.blocks.size(), " blocks; Nemenyi CD = ", fmt(c.cd, 3),
                                             c.friedman ? "; Friedman p = " + fmt(c.friedman->p_value, 3) : ""))
    << "\nunset key\nunset ytics\nset border 0\nset xrange [" << k + 0.5 << ":0.5]\nset yrange ["
    << -1.9 - 0.9 * static_cast<double>((c.ranks.size() + 1) / 2) << ":2.6]\nset xtics axis nomirror 1 offset 0,1.4\n"
    << "set xzeroaxis lt -1 lw 1.5\n";
  // Methods on the best half go to the right edge, the others to the left.
  for (size_t i = 0; i < order.size(); ++i) {
    const double r = c.ranks[order[i]], y = -1.5 - static_cast<double>(i % ((order.size() + 1) / 2)) * 0.9;
    const bool right = i < (order.size() + 1) / 2;
    const double edge = right ? 0.6 : k + 0.4;
    b << "set arrow from " << r << ",0 to " << r << "," << y << " nohead lw 1.5\n"
      << "set arrow from " << r << "," << y << " to " << edge << "," << y << " nohead lw 1.5\n"
      << "set label " << gp_quote(c.methods[order[i]] + " (" + fmt(r, 3) + ")") << " at " << edge << "," << y
      << (right ? " right" : " left") << " offset " << (right ? "-0.5" : "0.5") << ",0.5\n";
  }
  // The CD as a bar above the axis, and thick bars joining methods closer than the CD.
  b << "set arrow from " << k + 0.4 << ",2.0 to " << k + 0.4 - c.cd << ",2.0 heads size 0.05,90 lw 2\n"
    << "set label 'CD' at " << k + 0.4 - c.cd / 2 << ",2.3 center\n";
  int clique = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    size_t j = i;
    while (j + 1 < order.size() && c.ranks[order[j + 1]] - c.ranks[order[i]] < c.cd) ++j;
    const bool contained = i > 0 && [&] {
      size_t jp = i - 1;
      while (jp + 1 < order.size() && c.ranks[order[jp + 1]] - c.ranks[order[i - 1]] < c.cd) ++jp;
      return jp >= j;
    }();
    if (j > i && !contained) {
      const double y = -0.45 - 0.2 * clique++;
      b << "set arrow from " << c.ranks[order[i]] - 0.03 << "," << y << " to " << c.ranks[order[j]] + 0.03 << ","
        << y << " nohead lw 5 lc rgb 'black'\n";
    }
  }
  b << "plot NaN\n";
  return gp.plot(name, b.str(), 900, 120 + 40 * static_cast<int>(c.ranks.size()));
}

// A line plot of MAE (and optionally step time) against a numeric x per (model, method).
std::string line_plot(const Gnuplot& gp, const Report& rep, const std::string& dataset, const std::string& protocol,
                      const std::string& what) {
  std::map<std::string, std::vector<std::pair<double, double>>> series;
  for (const Cell& c : rep.cells) {
    if (c.dataset != dataset || c.protocol != protocol) continue;
    if (what == "lookback") {
      series[c.model + " " + c.method].push_back({static_cast<double>(c.lookback), c.mae.mean});
    } else if (c.settings.value("reg", "") == "pruning" || c.method == "none") {
      std::string label = c.model + " L" + std::to_string(c.lookback) + " " + value_text(c.settings["regulariser"]);
      if (c.method == "none") label = c.model + " L" + std::to_string(c.lookback) + " dense (none)";
      const double y = what == "step_time" ? 1000 * c.step_seconds : c.mae.mean;
      series[label].push_back({c.method == "none" ? 0.0 : number(c.settings.value("final_sparsity", json(c.sparsity))), y});
    }
  }
  size_t points = 0;
  for (auto& [_, s] : series) {
    std::sort(s.begin(), s.end());
    points = std::max(points, s.size());
  }
  if (points < 2 && what != "sparsity") return {};
  const std::string name = file_safe(what + "_" + dataset + "_" + protocol);
  std::ostringstream data, body;
  for (const auto& [label, s] : series) {
    data << "# " << label << '\n';
    for (const auto& [x, y] : s) data << fmt(x, 8) << ' ' << fmt(y, 8) << '\n';
    data << "\n\n";
  }
  gp.write_data(name + ".dat", data.str());
  const char* ylabel = what == "step_time" ? "training step (ms)" : "test MAE (original units)";
  const char* xlabel = what == "lookback" ? "lookback (rows)" : "final sparsity of the schedule (dense model at 0)";
  body << "set title " << gp_quote(std::string(what == "lookback"   ? "MAE against lookback: "
                                               : what == "step_time" ? "Step time against sparsity: "
                                                                     : "MAE against sparsity: ") +
                                   dataset + ", protocol " + protocol)
       << "\nset xlabel '" << xlabel << "'\nset ylabel '" << ylabel
       << "'\nset key outside right top\nset grid\nplot ";
  size_t i = 0;
  for (const auto& [label, _] : series)
  {
    body << (i ? ", " : "") << "'" << name << ".dat' index " << i << " using 1:2 with linespoints title "
         << gp_quote(label);
    ++i;
  }
  return gp.plot(name, body.str(), 1000, 520);
}

std::string sparsity_curve_plot(const Gnuplot& gp, const std::vector<json>& records, const std::string& dataset) {
  std::map<std::string, std::vector<std::pair<double, int64_t>>> sums;  // label -> per epoch (sum, count)
  for (const json& r : records) {
    const json& s = r["settings"];
    if (value_text(s["dataset"]) != dataset || !r.contains("sparsity_curve") || r["sparsity_curve"].empty()) continue;
    std::string label = value_text(s["model"]) + " " + value_text(s["regulariser"]);
    if (s.contains("final_sparsity")) label += " final=" + value_text(s["final_sparsity"]);
    auto& v = sums[label];
    const json& curve = r["sparsity_curve"];
    if (v.size() < curve.size()) v.resize(curve.size(), {0.0, 0});
    for (size_t e = 0; e < curve.size(); ++e) {
      v[e].first += number(curve[e]);
      ++v[e].second;
    }
  }
  if (sums.empty()) return {};
  const std::string name = file_safe("sparsity_curve_" + dataset);
  std::ostringstream data, body;
  for (const auto& [label, v] : sums) {
    data << "# " << label << '\n';
    for (size_t e = 0; e < v.size(); ++e) data << e + 1 << ' ' << fmt(v[e].first / static_cast<double>(v[e].second), 6) << '\n';
    data << "\n\n";
  }
  gp.write_data(name + ".dat", data.str());
  body << "set title " << gp_quote("Sparsity over training (mean over runs still training): " + dataset)
       << "\nset xlabel 'epoch'\nset xtics 1\nset ylabel 'sparsity of the pruned weights'\nset yrange [0:1]\nset key outside right top\nset grid\nplot ";
  size_t i = 0;
  for (const auto& [label, _] : sums)
  {
    body << (i ? ", " : "") << "'" << name << ".dat' index " << i << " using 1:2 with linespoints title "
         << gp_quote(label);
    ++i;
  }
  return gp.plot(name, body.str(), 1000, 480);
}

std::string forecast_plot(const Gnuplot& gp, const std::vector<json>& records, const std::string& dataset) {
  const json *best = nullptr, *worst = nullptr;
  for (const json& r : records) {
    if (value_text(r["settings"]["dataset"]) != dataset || !r.contains("forecast") || !r["metrics"]["mae"].is_number())
      continue;
    const double mae = r["metrics"]["mae"].get<double>();
    if (!best || mae < (*best)["metrics"]["mae"].get<double>()) best = &r;
    if (!worst || mae > (*worst)["metrics"]["mae"].get<double>()) worst = &r;
  }
  if (!best) return {};
  const std::string name = file_safe("forecast_" + dataset);
  std::ostringstream data, body;
  auto describe = [](const json& r) {
    const json& s = r["settings"];
    return detail::concat(value_text(s["model"]), " ", value_text(s["regulariser"]), " L", value_text(s["lookback"]),
                          " seed ", value_text(s["seed"]), " ", value_text(s["protocol"]), ", MAE ",
                          fmt(r["metrics"]["mae"].get<double>(), 4));
  };
  for (const json* r : {best, worst}) {
    const json& f = (*r)["forecast"];
    for (size_t i = 0; i < f["actual"].size(); ++i)
      data << i << ' ' << fmt(number(f["actual"][i]), 10) << ' ' << fmt(number(f["predicted"][i]), 10) << '\n';
    data << "\n\n";
  }
  gp.write_data(name + ".dat", data.str());
  body << "set multiplot layout 2,1\nset grid\nset key outside right top\nset xlabel 'last test windows (one step ahead)'\n";
  int index = 0;
  for (const auto& [what, r] : {std::pair<const char*, const json*>{"best", best}, {"worst", worst}}) {
    body << "set title " << gp_quote(std::string(what) + " run on " + dataset + ": " + describe(*r)) << "\nplot '"
         << name << ".dat' index " << index << " using 1:2 with lines lw 2 title 'actual', '' index " << index
         << " using 1:3 with lines lw 1.5 title 'forecast'\n";
    ++index;
  }
  body << "unset multiplot";
  return gp.plot(name, body.str(), 1000, 700);
}

}  // namespace

int write_experiment_report(const std::vector<std::string>& results, const std::string& out_dir) {
  std::vector<std::filesystem::path> files(results.begin(), results.end());
  const fc::Results read = fc::read_results(files);
  for (const auto& p : read.problems) std::fprintf(stderr, "warning: %s (line skipped)\n", p.describe().c_str());
  SYN_CHECK_T(ValueError, !read.records.empty(), "report: no run records in the results files");
  std::filesystem::create_directories(out_dir);
  const Report rep = build_cells(read.records);
  std::set<std::string> datasets, protocols;
  for (const Cell& c : rep.cells) {
    datasets.insert(c.dataset);
    protocols.insert(c.protocol);
  }
  std::vector<Comparison> cmps;
  for (const std::string& p : protocols) {
    for (const std::string& d : datasets) cmps.push_back(compare(rep, d, p));
    if (datasets.size() > 1) cmps.push_back(compare(rep, "", p));
  }
  write_cells_csv(rep, out_dir + "/cells.csv");
  write_stats_csv(cmps, out_dir);

  const Gnuplot gp(out_dir + "/plots");
  std::vector<std::pair<std::string, std::string>> images;  // title, file
  auto add = [&](const std::string& title, const std::string& file) {
    if (!file.empty()) images.emplace_back(title, "plots/" + file);
  };
  for (const std::string& d : datasets) {
    for (const std::string& p : protocols) {
      add("MAE by regulariser, " + d + " (" + p + ")", bar_plot(gp, rep, d, p));
      add("MAE against lookback, " + d + " (" + p + ")", line_plot(gp, rep, d, p, "lookback"));
      if (std::find(rep.varying.begin(), rep.varying.end(), "final_sparsity") != rep.varying.end()) {
        add("MAE against sparsity, " + d + " (" + p + ")", line_plot(gp, rep, d, p, "sparsity"));
        add("Training step time against sparsity, " + d + " (" + p + ")", line_plot(gp, rep, d, p, "step_time"));
      }
    }
    add("Sparsity over training, " + d, sparsity_curve_plot(gp, read.records, d));
    add("Forecast against actual, best and worst run, " + d, forecast_plot(gp, read.records, d));
  }
  for (const Comparison& c : cmps) add("Critical-difference diagram, " + c.name + " (" + c.protocol + ")", cd_plot(gp, c));

  std::ofstream md(out_dir + "/report.md");
  md << "# Experiment report\n\n" << read.records.size() << " runs from";
  for (const std::string& f : results) md << " `" << f << "`";
  md << (read.duplicates ? detail::concat(" (", read.duplicates, " duplicate lines counted once)") : "") << ".\n\n";
  if (!read.problems.empty()) {
    md << "Lines skipped:\n\n";
    for (const auto& p : read.problems) md << "- " << p.describe() << "\n";
    md << "\n";
  }
  md << "MAE and RMSE are on the test part in original units, mean over seeds ± the half-width of the t-based 95% "
        "confidence interval. Change = relative change of the mean MAE against the same setting with regulariser "
        "none / dropout (negative is better). Sparsity: achieved over the pruned weights in the kept model. Step: "
        "mean wall time of one training step.\n";
  if (!rep.varying.empty()) {
    md << "Settings that vary besides dataset, model, regulariser, lookback, protocol and seed:";
    for (const std::string& k : rep.varying) md << " `" << k << "`";
    md << ".\n";
  }
  std::string current;
  for (const Cell& c : rep.cells) {
    const std::string section = c.dataset + " — protocol " + c.protocol;
    if (section != current) {
      current = section;
      md << "\n## " << section << "\n\n| model | lookback | setting | regulariser | runs | MAE | RMSE | vs none | vs "
            "dropout | sparsity | epochs | train s | step ms |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }
    md << "| " << c.model << " | " << c.lookback << " | " << (c.setting.empty() ? "–" : c.setting) << " | "
       << c.method << " | " << c.runs.size() << " | " << ci_text(c.mae) << " | " << ci_text(c.rmse) << " | "
       << percent(c.vs_none) << " | " << percent(c.vs_dropout) << " | " << fmt(c.sparsity, 3) << " | "
       << fmt(c.epochs, 3) << " | " << fmt(c.seconds, 3) << " | " << fmt(1000 * c.step_seconds, 3) << " |\n";
  }
  md << "\n## Statistics\n\nPer dataset and protocol: blocks are the (model, lookback, setting) cells holding every "
        "regulariser, each valued by its mean MAE over seeds; ranks 1 = lowest MAE, ties averaged; Friedman test "
        "with tie correction against χ²(k−1); Nemenyi critical difference at α = 0.05; pairwise two-sided Wilcoxon "
        "signed-rank tests on the blocks with Holm's correction over all pairs.\n";
  for (const Comparison& c : cmps) {
    md << "\n### " << c.name << " — protocol " << c.protocol << "\n\n";
    if (c.ranks.empty()) {
      md << c.note << ".\n";
      continue;
    }
    md << c.blocks.size() << " blocks" << (c.dropped_blocks ? detail::concat(" (", c.dropped_blocks, " incomplete left out)") : "")
       << ". ";
    if (c.friedman)
      md << "Friedman χ² = " << fmt(c.friedman->statistic, 4) << ", p = " << fmt(c.friedman->p_value, 3) << ". ";
    else
      md << c.note << ". ";
    md << "Nemenyi CD = " << fmt(c.cd, 3) << ".\n\n| regulariser | average rank |\n|---|---:|\n";
    std::vector<size_t> order(c.ranks.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return c.ranks[a] < c.ranks[b]; });
    for (size_t i : order) md << "| " << c.methods[i] << " | " << fmt(c.ranks[i], 3) << " |\n";
    md << "\n| pair | n | W | p | p (Holm) |\n|---|---:|---:|---:|---:|\n";
    for (const auto& p : c.pairs)
      md << "| " << p.a << " vs " << p.b << " | " << p.w.n << " | " << fmt(p.w.statistic, 4) << " | "
         << fmt(p.w.p_value, 3) << (p.w.exact ? " (exact)" : "") << " | " << fmt(p.holm, 3) << " |\n";
  }
  md << "\n## Plots\n\n";
  if (!gp.available())
    md << "gnuplot was not found, so no plot was drawn. The scripts are in `plots/`: install gnuplot (Debian: "
          "`apt-get install gnuplot-nox`) and run `cd plots && for f in *.gp; do gnuplot \"$f\"; done`.\n";
  for (const auto& [title, file] : images) md << "### " << title << "\n\n![" << title << "](" << file << ")\n\n";
  if (!gp.available())
    std::fprintf(stderr, "report: gnuplot not found: %zu plot scripts written to %s/plots but not drawn; install "
                         "gnuplot (Debian: apt-get install gnuplot-nox) and run them with gnuplot\n",
                 gp.scripts().size(), out_dir.c_str());
  std::fprintf(stderr, "report: %zu runs, %zu cells, %zu plots\n", read.records.size(), rep.cells.size(), images.size());
  std::printf("%s/report.md\n", out_dir.c_str());
  return 0;
}

}  // namespace syn::apps
