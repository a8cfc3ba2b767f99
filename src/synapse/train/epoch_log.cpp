#include "synapse/train/epoch_log.hpp"

#include <ostream>

#include "synapse/train/json_text.hpp"

namespace syn::train {

void write_epoch_line(std::ostream& out, const EpochInfo& info) {
  out << "{\"epoch\":" << info.epoch << ",\"train_loss\":" << json_number(info.train_loss)
      << ",\"val_loss\":" << json_number(info.val_loss) << ",\"seconds\":" << json_number(info.seconds)
      << ",\"lr\":" << json_number(info.lr) << ",\"improved\":" << (info.improved ? "true" : "false")
      << "}\n";
  out.flush();
}

}  // namespace syn::train
