// Load a checkpoint and forecast from the last window of a CSV file, using only the public API.
//   forecast_csv MODEL.syn DATA.csv
// The CSV needs a header row naming the model's input columns (model.feature_names()); other columns
// are ignored. Prints one line per forecast step in original units.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <synapse/synapse.hpp>

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return std::fprintf(stderr, "usage: forecast_csv MODEL.syn DATA.csv\n"), 2;
  try {
    const syn::Model model = syn::Model::load(argv[1]);
    std::ifstream csv(argv[2]);
    std::string line;
    if (!std::getline(csv, line)) throw syn::ValueError(std::string(argv[2]) + ": empty file");
    const std::vector<std::string> header = split(line);
    std::vector<size_t> columns;  // the CSV column of each model input
    for (const std::string& name : model.feature_names()) {
      size_t c = 0;
      while (c < header.size() && header[c] != name) ++c;
      if (c == header.size()) throw syn::ValueError(std::string(argv[2]) + ": no column '" + name + "'");
      columns.push_back(c);
    }
    std::vector<std::vector<double>> rows;
    while (std::getline(csv, line)) {
      const std::vector<std::string> cells = split(line);
      std::vector<double> row;
      for (const size_t c : columns) row.push_back(std::stod(cells.at(c)));
      rows.push_back(row);
    }
    if (static_cast<int64_t>(rows.size()) < model.lookback())
      throw syn::ValueError(std::string(argv[2]) + ": fewer rows than the lookback");
    std::vector<double> window;  // the last lookback rows, oldest first
    for (size_t r = rows.size() - static_cast<size_t>(model.lookback()); r < rows.size(); ++r)
      window.insert(window.end(), rows[r].begin(), rows[r].end());
    const std::vector<double> forecast = model.predict(window);
    std::printf("%s model (synapse %s), lookback %lld, sparsity %.2f; forecast of '%s':\n", model.kind().c_str(),
                syn::version(), static_cast<long long>(model.lookback()), model.sparsity(),
                model.feature_names()[0].c_str());
    for (size_t h = 0; h < forecast.size(); ++h) std::printf("t+%zu %.6g\n", h + 1, forecast[h]);
  } catch (const syn::Error& e) {
    std::fprintf(stderr, "forecast_csv: %s\n", e.what());
    return 2;
  }
}
