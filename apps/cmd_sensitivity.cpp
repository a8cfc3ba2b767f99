// synapse sensitivity: prune one weight tensor (and one recurrent gate) at a time by magnitude, without
// retraining, and report the validation loss and MAE at each sparsity (Distiller's and SparseML's
// sensitivity analysis): which layers tolerate pruning and which do not.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_values.hpp"
#include "command.hpp"
#include "gnuplot.hpp"
#include "synapse/core/error.hpp"
#include "synapse/core/grad_mode.hpp"
#include "synapse/forecast/forecast_data.hpp"
#include "synapse/pruning/prune_report.hpp"
#include "synapse/pruning/pruner.hpp"
#include "synapse/train/checkpoint.hpp"
#include "synapse/train/prediction.hpp"

namespace syn::apps {
namespace {

struct SensitivityArgs {
  std::string model, data, out;
  std::vector<double> sparsities = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
};

// The early-stopping windows of the checkpoint's protocol (clean: validation; paper: the test part, which
// is its early-stopping set), scaled with the saved scaler (never refitted).
forecast::ForecastData validation_data(forecast::Series series, const train::DataSettings& settings,
                                       const nn::ModelConfig& config, std::string& part) {
  forecast::ForecastData d = forecast::ForecastData::of(std::move(series), settings.transform);
  d.scaler = forecast::Scaler(settings.scaler);
  std::vector<double> scaled = d.series.values;
  d.scaler.transform(scaled);
  d.split = forecast::split_rows(d.series.rows(), settings.protocol);
  const bool has_val = d.split.val.size() > 0 && settings.protocol.name() == "clean";
  part = has_val ? "validation" : "test (the paper protocol's early-stopping set)";
  d.test = forecast::make_windows(scaled, d.series.cols(), has_val ? d.split.val : d.split.test, "validation",
                                  {config.lookback, config.horizon});
  d.naive_mae = forecast::naive_one_step_mae(std::span<const double>(d.levels).subspan(
      static_cast<size_t>(d.split.train.begin), static_cast<size_t>(d.split.train.size())));
  return d;
}

struct Score {
  double loss = 0, mae = 0;
};

Score score(nn::Forecaster& model, const forecast::ForecastData& d) {
  const train::Prediction p = train::predict(model, d.test.inputs);
  const std::vector<float> y = p.mean.to_vector(), t = d.test.targets.to_vector();
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) sum += (static_cast<double>(y[i]) - t[i]) * (static_cast<double>(y[i]) - t[i]);
  return {sum / static_cast<double>(y.size()), d.score(p.mean, d.test).mae};
}

// Zeroes the round(s · n) smallest |w| of w[begin, end) (ties by index); dead entries are already 0.
void prune_slice(float* w, int64_t begin, int64_t end, double s) {
  std::vector<int64_t> order(static_cast<size_t>(end - begin));
  std::iota(order.begin(), order.end(), begin);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return std::abs(w[a]) < std::abs(w[b]); });
  const auto k = static_cast<size_t>(std::llround(s * static_cast<double>(order.size())));
  for (size_t i = 0; i < k; ++i) w[order[i]] = 0;
}

int run_sensitivity(const SensitivityArgs& a) {
  const train::Checkpoint ckpt = train::load_checkpoint(a.model);
  const std::shared_ptr<nn::Forecaster> model = train::restore_model(ckpt, a.model);
  model->eval();
  std::string part;
  const forecast::ForecastData d =
      validation_data(train::read_series(a.data, ckpt.data), ckpt.data, model->config(), part);
  const Score base = score(*model, d);
  const pruning::Pruner pruner(*model, {});
  const std::vector<std::string_view> gates = pruning::recurrent_gate_names(model->config().kind);

  nlohmann::json rows = nlohmann::json::array();
  std::printf("%-28s %-5s %8s %9s %12s %12s %9s\n", "tensor", "gate", "size", "sparsity", "val loss", "val MAE",
              "MAE change");
  std::printf("%-28s %-5s %8s %9s %12.6g %12.6g %9s\n", "(none pruned)", "", "", "0", base.loss, base.mae, "");
  for (const auto& [name, weight] : pruner.tensors()) {
    Tensor w = weight;
    const std::vector<float> saved = w.to_vector();
    const int64_t n = w.numel();
    // The whole tensor, then each gate's rows for recurrent weights.
    std::vector<std::tuple<std::string, int64_t, int64_t>> slices = {{"all", 0, n}};
    if (gates.size() > 1 && pruning::is_recurrent_weight(name) && w.size(0) % static_cast<int64_t>(gates.size()) == 0) {
      const int64_t per = n / static_cast<int64_t>(gates.size());
      for (size_t g = 0; g < gates.size(); ++g)
        slices.emplace_back(std::string(gates[g]), static_cast<int64_t>(g) * per, static_cast<int64_t>(g + 1) * per);
    }
    for (const auto& [gate, begin, end] : slices)
      for (double s : a.sparsities) {
        {
          NoGradGuard no_grad;
          prune_slice(w.mutable_data(), begin, end, s);
        }
        const Score sc = score(*model, d);
        std::copy(saved.begin(), saved.end(), w.mutable_data());
        const double change = 100 * (sc.mae - base.mae) / base.mae;
        std::printf("%-28s %-5s %8lld %9.3g %12.6g %12.6g %+8.1f%%\n", name.c_str(), gate.c_str(),
                    static_cast<long long>(end - begin), s, sc.loss, sc.mae, change);
        rows.push_back({{"tensor", name}, {"gate", gate}, {"size", end - begin}, {"sparsity", s},
                        {"loss", sc.loss}, {"mae", sc.mae}, {"mae_change_pct", change}});
      }
  }
  const std::string out = a.out.empty() ? std::filesystem::path(a.model).stem().string() + "_sensitivity" : a.out;
  std::filesystem::create_directories(out);
  std::ofstream(out + "/sensitivity.json")
      << nlohmann::json{{"model", a.model}, {"data", a.data}, {"part", part}, {"windows", d.test.count()},
                        {"baseline", {{"loss", base.loss}, {"mae", base.mae}}}, {"rows", rows}}
             .dump(1)
      << "\n";
  // The plot: MAE against sparsity per tensor (solid) and per gate (dashed).
  const Gnuplot gp(out);
  std::ostringstream data, body;
  std::vector<std::string> labels;
  std::string current;
  for (const auto& r : rows) {
    const std::string label = r["tensor"].get<std::string>() + (r["gate"] == "all" ? "" : " gate " + r["gate"].get<std::string>());
    if (label != current) {
      if (!current.empty()) data << "\n\n";
      data << "0 " << base.mae << '\n';
      labels.push_back(current = label);
    }
    data << r["sparsity"].get<double>() << ' ' << r["mae"].get<double>() << '\n';
  }
  gp.write_data("sensitivity.dat", data.str());
  body << "set title " << gp_quote("Pruning one tensor or gate by magnitude, no retraining: " + part + " MAE")
       << "\nset xlabel 'sparsity of the pruned tensor or gate'\nset ylabel 'MAE (original units)'\n"
       << "set key outside right top\nset grid\nset logscale y\nplot ";
  for (size_t i = 0; i < labels.size(); ++i)
    body << (i ? ", " : "") << "'sensitivity.dat' index " << i << " using 1:2 with linespoints"
         << (labels[i].find(" gate ") != std::string::npos ? " dt 2" : " lw 2") << " title " << gp_quote(labels[i]);
  const std::string png = gp.plot("sensitivity", body.str(), 1100, 560);
  std::fprintf(stderr, "sensitivity: %s, %lld windows; wrote %s/sensitivity.json%s\n", part.c_str(),
               static_cast<long long>(d.test.count()), out.c_str(),
               png.empty() ? " (gnuplot not found: plot script sensitivity.gp written, not drawn)"
                           : detail::concat(" and ", out, "/", png).c_str());
  return kExitOk;
}

}  // namespace

Command add_sensitivity_command(CLI::App& root) {
  auto a = std::make_shared<SensitivityArgs>();
  CLI::App* app = root.add_subcommand(
      "sensitivity", "Prune one layer (and one recurrent gate) at a time without retraining: loss and MAE per sparsity");
  app->add_option("model", a->model, "Checkpoint file (synapse train --out)")->required()->check(CLI::ExistingFile);
  app->add_option("--data", a->data, "CSV file, read as the model was trained")->required()->check(CLI::ExistingFile);
  app->add_option("--sparsities", a->sparsities, "Sparsities to try, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app->add_option("--out", a->out, "Output directory for sensitivity.json and the plot (default: MODEL_sensitivity)");
  return {app, [a] { return run_sensitivity(*a); }};
}

}  // namespace syn::apps
