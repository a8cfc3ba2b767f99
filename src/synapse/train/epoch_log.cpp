#include "synapse/train/epoch_log.hpp"

#include <charconv>
#include <cmath>
#include <ostream>
#include <string>

namespace syn::train {
namespace {
// The shortest text that reads back to the same double; null for NaN and infinities.
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}
}  // namespace

void write_epoch_line(std::ostream& out, const EpochInfo& info) {
  out << "{\"epoch\":" << info.epoch << ",\"train_loss\":" << json_number(info.train_loss)
      << ",\"val_loss\":" << json_number(info.val_loss) << ",\"seconds\":" << json_number(info.seconds)
      << ",\"lr\":" << json_number(info.lr) << ",\"improved\":" << (info.improved ? "true" : "false")
      << "}\n";
  out.flush();
}

}  // namespace syn::train
