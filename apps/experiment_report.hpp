#pragma once
// synapse experiment report: from results files (Note [Results files]) to Markdown and CSV tables,
// the statistics of Note [Comparing methods] and gnuplot plots (Note [Report plots]).
#include <string>
#include <vector>

namespace syn::apps {

// Writes DIR/report.md, DIR/cells.csv, DIR/ranks.csv, DIR/wilcoxon.csv and DIR/plots/; prints the path of
// report.md. Corrupt result lines are reported on stderr and in report.md with their file and line
// number, and the other lines still count. Returns the exit status.
int write_experiment_report(const std::vector<std::string>& results, const std::string& out_dir);

}  // namespace syn::apps
